//! The order against the cart the engine returned: see the module docs of [`super`].
