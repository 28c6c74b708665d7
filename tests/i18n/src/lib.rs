//! Empty: see tests/i18n.rs.
