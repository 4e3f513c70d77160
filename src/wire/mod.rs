//! Wire formats: every body is a JSON tree on our side, encoded per gateway on the wire.

pub mod form;
pub mod xml;
