//! Participatory components over the kernel. Each owns its op effects
//! (`apply`), its storage (`store`: SQL, row structs, batch loaders) and the
//! hooks other components call (e.g. [`comments::Commentable`]).

pub mod comments;
