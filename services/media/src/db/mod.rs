pub mod files;
pub mod stickers;
pub mod uses;
