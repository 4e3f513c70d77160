//! What a request says about one field of an update: nothing (leave it), clear it, or
//! set it. Braintree (an empty or nil element) and Rapyd (`""`) both clear a field, and
//! both leave one that is not sent; each gateway's `params` reads its own wire form
//! into this one type.

/// What a request says about one field.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) enum Field<T> {
    /// Not sent: leave the field as it is.
    #[default]
    Absent,
    /// Sent empty: clear the field.
    Clear,
    /// Sent with a value.
    Set(T),
}

impl<T> Field<T> {
    /// Whether the request names the field at all (to clear or to set it).
    pub(super) fn is_sent(&self) -> bool {
        !matches!(self, Field::Absent)
    }

    /// Whether the request gives the field a value.
    pub(super) fn is_set(&self) -> bool {
        matches!(self, Field::Set(_))
    }

    /// The value sent, if any.
    pub(super) fn value(&self) -> Option<&T> {
        match self {
            Field::Set(value) => Some(value),
            Field::Absent | Field::Clear => None,
        }
    }

    /// The field with its value borrowed.
    pub(super) fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Clear => Field::Clear,
            Field::Set(value) => Field::Set(value),
        }
    }

    /// The field with `f` applied to its value.
    pub(super) fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Clear => Field::Clear,
            Field::Set(value) => Field::Set(f(value)),
        }
    }

    /// The field with `f` applied to its value, or `f`'s error.
    pub(super) fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Field<U>, E> {
        Ok(match self {
            Field::Absent => Field::Absent,
            Field::Clear => Field::Clear,
            Field::Set(value) => Field::Set(f(value)?),
        })
    }
}

impl<T: Clone> Field<T> {
    /// Writes the field onto a stored optional value: cleared means `None`.
    pub(super) fn apply_optional(&self, slot: &mut Option<T>) {
        match self {
            Field::Absent => {}
            Field::Clear => *slot = None,
            Field::Set(value) => *slot = Some(value.clone()),
        }
    }
}

impl<T: Clone + Default> Field<T> {
    /// Writes the field onto a stored value: cleared means the empty value (`""`, `{}`),
    /// as Rapyd shows a cleared field.
    pub(super) fn apply(&self, target: &mut T) {
        match self {
            Field::Absent => {}
            Field::Clear => *target = T::default(),
            Field::Set(value) => *target = value.clone(),
        }
    }

    /// The value sent, or the empty value when absent or cleared (for new objects).
    pub(super) fn or_empty(self) -> T {
        match self {
            Field::Set(value) => value,
            Field::Absent | Field::Clear => T::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_leaves_clear_empties_set_writes() {
        let mut text = "old".to_string();
        let mut optional = Some("old".to_string());
        Field::Absent.apply(&mut text);
        Field::Absent.apply_optional(&mut optional);
        assert_eq!((text.as_str(), optional.as_deref()), ("old", Some("old")));
        Field::Set("new".to_string()).apply(&mut text);
        Field::Set("new".to_string()).apply_optional(&mut optional);
        assert_eq!((text.as_str(), optional.as_deref()), ("new", Some("new")));
        Field::Clear.apply(&mut text);
        Field::Clear.apply_optional(&mut optional);
        assert_eq!((text.as_str(), optional), ("", None));
    }

    #[test]
    fn reading() {
        let set = Field::Set(5);
        assert!(set.is_sent() && set.is_set());
        assert!(Field::<u8>::Clear.is_sent() && !Field::<u8>::Clear.is_set());
        assert!(!Field::<u8>::default().is_sent());
        assert_eq!(set.value(), Some(&5));
        assert_eq!(set.as_ref().map(|n| n * 2), Field::Set(10));
        assert_eq!(Field::<u8>::Clear.map(|n| n * 2), Field::Clear);
        assert_eq!(set.clone().try_map(|_| Err::<u8, _>("no")), Err("no"));
        assert_eq!(
            Field::<u8>::Absent.try_map(|_| Err::<u8, _>("no")),
            Ok(Field::Absent)
        );
        assert_eq!(Field::<String>::Clear.or_empty(), "");
        assert_eq!(set.or_empty(), 5);
    }
}
