pub mod access;
pub mod cleanup;
pub mod upload;
