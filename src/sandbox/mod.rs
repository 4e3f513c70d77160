//! The embedded reference gateway.
