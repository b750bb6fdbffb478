//! Namespace-aware reading over the parsed tree: an element seen with the `xmlns` declarations
//! in scope, so that a UBL document is read by namespace and local name whatever prefixes it
//! uses (`cbc:ID`, `b:ID` or a default namespace).
//!
//! The tree keeps names as written; a [`NsElement`] resolves them when asked. Declarations are
//! shared along the path (a scope is created only where an element declares one), so reading a
//! 10 000-line order costs no copy of them per element.

use std::rc::Rc;

use crate::error::{Error, ErrorCode, Result};

use super::Element;

/// The namespace declarations in scope: an element's own, then its ancestors'.
#[derive(Debug)]
struct Scope<'a> {
    parent: Option<Rc<Scope<'a>>>,
    /// `(prefix, namespace)`; the default namespace has the empty prefix.
    bindings: Vec<(&'a str, &'a str)>,
}

impl<'a> Scope<'a> {
    fn resolve(&self, prefix: &str) -> Option<&'a str> {
        let mut scope = Some(self);
        while let Some(current) = scope {
            if let Some((_, namespace)) =
                current.bindings.iter().find(|(bound, _)| *bound == prefix)
            {
                return Some(namespace);
            }
            scope = current.parent.as_deref();
        }
        // The `xml` prefix is bound by definition.
        (prefix == "xml").then_some("http://www.w3.org/XML/1998/namespace")
    }
}

/// An element with the namespace declarations in scope.
#[derive(Clone, Debug)]
pub struct NsElement<'a> {
    element: &'a Element,
    scope: Rc<Scope<'a>>,
}

/// A name to look for: a namespace, a local name and the prefix conventionally written for it,
/// used in messages about an element that is missing (its document gave it no prefix yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QualifiedName {
    pub namespace: &'static str,
    pub prefix: &'static str,
    pub local: &'static str,
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.prefix.is_empty() {
            formatter.write_str(self.local)
        } else {
            write!(formatter, "{}:{}", self.prefix, self.local)
        }
    }
}

impl<'a> NsElement<'a> {
    /// The root element of a document, with its own declarations in scope.
    ///
    /// # Errors
    /// `invalid-document` at the root when its prefix is not declared.
    pub fn root(element: &'a Element) -> Result<Self> {
        let scope = Rc::new(Scope {
            parent: None,
            bindings: declarations(element),
        });
        let root = NsElement { element, scope };
        root.namespace()?;
        Ok(root)
    }

    /// The element as parsed (name as written, position, path, text).
    pub fn element(&self) -> &'a Element {
        self.element
    }

    /// The local part of the element's name: `ID` for `cbc:ID`.
    pub fn local_name(&self) -> &'a str {
        split_name(self.element.name()).1
    }

    /// The element's namespace, `None` when it has no prefix and no default namespace is in
    /// scope (or the default is undeclared with `xmlns=""`).
    ///
    /// # Errors
    /// `invalid-document` at the element when its prefix is not declared.
    pub fn namespace(&self) -> Result<Option<&'a str>> {
        let (prefix, _) = split_name(self.element.name());
        match self.scope.resolve(prefix) {
            Some("") => Ok(None),
            Some(namespace) => Ok(Some(namespace)),
            None if prefix.is_empty() => Ok(None),
            None => Err(Error::new(
                ErrorCode::InvalidDocument,
                format!(
                    "undeclared namespace prefix `{}` on `{}`",
                    crate::model::shorten(prefix),
                    crate::model::shorten(self.element.name())
                ),
            )
            .at(self.element.location())),
        }
    }

    /// Whether the element is `name` (namespace and local name). An undeclared prefix is never
    /// any name.
    pub fn is(&self, name: QualifiedName) -> bool {
        self.local_name() == name.local && self.namespace().ok().flatten() == Some(name.namespace)
    }

    /// The child elements, in document order, each with its scope.
    pub fn elements(&self) -> impl Iterator<Item = NsElement<'a>> + '_ {
        self.element.elements().map(|child| self.enter(child))
    }

    /// The child elements named `name`, in document order.
    pub fn elements_named(&self, name: QualifiedName) -> impl Iterator<Item = NsElement<'a>> + '_ {
        self.elements().filter(move |child| child.is(name))
    }

    /// The only child named `name`, if any.
    ///
    /// # Errors
    /// `invalid-document` at the second occurrence when it is repeated.
    pub fn child(&self, name: QualifiedName) -> Result<Option<NsElement<'a>>> {
        let mut matches = self.elements_named(name);
        let first = matches.next();
        if let Some(second) = matches.next() {
            let count = matches.count().saturating_add(2);
            return Err(second.element.invalid(format!(
                "`{name}` occurs {count} times, expected at most once"
            )));
        }
        Ok(first)
    }

    /// The only child named `name`.
    ///
    /// # Errors
    /// `invalid-document`: at this element when the child is missing, at the second occurrence
    /// when it is repeated.
    pub fn required_child(&self, name: QualifiedName) -> Result<NsElement<'a>> {
        self.child(name)?.ok_or_else(|| {
            self.element.invalid(format!(
                "missing element `{name}` in `{}`",
                self.element.name()
            ))
        })
    }

    /// This element's descendants and itself, depth first in document order, each with its
    /// scope; iterative, so as deep as the parser allowed.
    pub fn descendants_and_self(&self) -> Vec<NsElement<'a>> {
        let mut found = Vec::new();
        let mut stack = vec![self.clone()];
        while let Some(element) = stack.pop() {
            let children: Vec<NsElement<'a>> = element.elements().collect();
            stack.extend(children.into_iter().rev());
            found.push(element);
        }
        found
    }

    fn enter(&self, child: &'a Element) -> NsElement<'a> {
        let bindings = declarations(child);
        let scope = if bindings.is_empty() {
            Rc::clone(&self.scope)
        } else {
            Rc::new(Scope {
                parent: Some(Rc::clone(&self.scope)),
                bindings,
            })
        };
        NsElement {
            element: child,
            scope,
        }
    }
}

/// An element's own `xmlns` and `xmlns:prefix` declarations.
fn declarations(element: &Element) -> Vec<(&str, &str)> {
    element
        .attributes()
        .filter_map(|(name, value)| {
            if name == "xmlns" {
                Some(("", value))
            } else {
                name.strip_prefix("xmlns:").map(|prefix| (prefix, value))
            }
        })
        .collect()
}

/// `(prefix, local)`: `("cbc", "ID")` for `cbc:ID`, `("", "Order")` for `Order`.
pub fn split_name(name: &str) -> (&str, &str) {
    name.split_once(':').unwrap_or(("", name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{parse, ParseOptions};

    const A: QualifiedName = QualifiedName {
        namespace: "urn:a",
        prefix: "a",
        local: "x",
    };

    #[test]
    fn names_resolve_through_declarations_in_scope_whatever_the_prefix() {
        let document = parse(
            br#"<r xmlns="urn:r" xmlns:p="urn:a"><p:x>1</p:x><q:x xmlns:q="urn:a">2</q:x><x xmlns="urn:a">3</x><x>4</x></r>"#,
            &ParseOptions::ubl(),
        )
        .unwrap();
        let root = NsElement::root(&document.root).unwrap();
        assert_eq!(root.namespace().unwrap(), Some("urn:r"));
        let texts: Vec<String> = root.elements_named(A).map(|x| x.element().text()).collect();
        assert_eq!(texts, ["1", "2", "3"]);
        let error = root.child(A).unwrap_err();
        assert_eq!(
            error.message(),
            "`a:x` occurs 3 times, expected at most once"
        );
        assert_eq!(error.location().path.as_deref(), Some("/r/q:x"));
    }

    #[test]
    fn an_undeclared_prefix_is_an_error_at_its_element() {
        let document = parse(br#"<r><z:x/></r>"#, &ParseOptions::ubl()).unwrap();
        let root = NsElement::root(&document.root).unwrap();
        let child = root.elements().next().unwrap();
        let error = child.namespace().unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidDocument);
        assert_eq!(error.message(), "undeclared namespace prefix `z` on `z:x`");
        assert_eq!(error.location().path.as_deref(), Some("/r/z:x"));
        assert!(!child.is(A));
        let missing = root.required_child(A).unwrap_err();
        assert_eq!(missing.message(), "missing element `a:x` in `r`");
    }
}
