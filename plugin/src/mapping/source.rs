//! What a rule can read: a cart line and its cart, addressed by paths such as `sku`,
//! `description` or `attributes.color`.

use crate::model::CartLine;

/// The fields a path can name, besides `attributes.NAME`.
pub const LINE_FIELDS: &[&str] = &[
    "line_ref",
    "sku",
    "quantity",
    "unit_price",
    "unit",
    "description",
    "currency",
    "line_number",
];

/// A cart line seen by the mapping.
#[derive(Clone, Copy, Debug)]
pub struct LineView<'a> {
    pub line: &'a CartLine,
    pub currency: &'a str,
    /// 1-based position of the line in the cart.
    pub line_number: usize,
}

/// A field of the line a path can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineField {
    LineRef,
    Sku,
    Quantity,
    UnitPrice,
    Unit,
    Description,
    Currency,
    LineNumber,
}

impl LineField {
    /// The field's name in the cart line (and its JSON pointer segment).
    pub fn name(self) -> &'static str {
        match self {
            LineField::LineRef => "line_ref",
            LineField::Sku => "sku",
            LineField::Quantity => "quantity",
            LineField::UnitPrice => "unit_price",
            LineField::Unit => "unit",
            LineField::Description => "description",
            LineField::Currency => "currency",
            LineField::LineNumber => "line_number",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "line_ref" => LineField::LineRef,
            "sku" => LineField::Sku,
            "quantity" => LineField::Quantity,
            "unit_price" => LineField::UnitPrice,
            "unit" => LineField::Unit,
            "description" => LineField::Description,
            "currency" => LineField::Currency,
            "line_number" => LineField::LineNumber,
            _ => return None,
        })
    }
}

/// A parsed source path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourcePath {
    Field(LineField),
    Attribute(String),
}

impl SourcePath {
    /// Reads `sku`, `attributes.color` (or `attributes/color`).
    ///
    /// # Errors
    /// A message naming the path and what is allowed.
    pub fn parse(path: &str) -> Result<Self, String> {
        if let Some(name) = path
            .strip_prefix("attributes.")
            .or_else(|| path.strip_prefix("attributes/"))
        {
            if name.is_empty() {
                return Err("`attributes.` needs an attribute name".to_owned());
            }
            return Ok(SourcePath::Attribute(name.to_owned()));
        }
        LineField::from_name(path)
            .map(SourcePath::Field)
            .ok_or_else(|| {
                format!(
                    "unknown source `{}`, expected one of {} or `attributes.NAME`",
                    crate::model::shorten(path),
                    LINE_FIELDS
                        .iter()
                        .map(|field| format!("`{field}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }

    /// The value at this path, if the line has one.
    pub fn read<'a>(&self, view: &LineView<'a>) -> Option<std::borrow::Cow<'a, str>> {
        use std::borrow::Cow;
        let line = view.line;
        let value: Cow<'a, str> = match self {
            SourcePath::Field(LineField::LineRef) => Cow::Borrowed(&line.line_ref),
            SourcePath::Field(LineField::Sku) => Cow::Borrowed(&line.sku),
            SourcePath::Field(LineField::Quantity) => Cow::Borrowed(&line.quantity),
            SourcePath::Field(LineField::UnitPrice) => Cow::Borrowed(&line.unit_price),
            SourcePath::Field(LineField::Unit) => Cow::Borrowed(&line.unit),
            SourcePath::Field(LineField::Description) => Cow::Borrowed(&line.description),
            SourcePath::Field(LineField::Currency) => Cow::Borrowed(view.currency),
            SourcePath::Field(LineField::LineNumber) => Cow::Owned(view.line_number.to_string()),
            SourcePath::Attribute(name) => Cow::Borrowed(line.attribute(name)?),
        };
        Some(value)
    }

    /// Appends the value at this path to `out` without a copy of its own; `false` when the
    /// line has no such attribute.
    pub(crate) fn push_to(&self, view: &LineView<'_>, out: &mut String) -> bool {
        let line = view.line;
        let mut number = itoa::Buffer::new();
        out.push_str(match self {
            SourcePath::Field(LineField::LineRef) => &line.line_ref,
            SourcePath::Field(LineField::Sku) => &line.sku,
            SourcePath::Field(LineField::Quantity) => &line.quantity,
            SourcePath::Field(LineField::UnitPrice) => &line.unit_price,
            SourcePath::Field(LineField::Unit) => &line.unit,
            SourcePath::Field(LineField::Description) => &line.description,
            SourcePath::Field(LineField::Currency) => view.currency,
            SourcePath::Field(LineField::LineNumber) => number.format(view.line_number),
            SourcePath::Attribute(name) => match line.attribute(name) {
                Some(value) => value,
                None => return false,
            },
        });
        true
    }
}
