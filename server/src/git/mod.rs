//! git2 clones, always on the blocking pool.
