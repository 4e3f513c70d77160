//! Braintree-flavoured XML <-> JSON tree.
