//! A value per sector that a new pass forgets at once: each cell carries the stamp of the pass
//! that wrote it, so a pass costs what it touches and not the size of the map. Searches and
//! per-faction tables reuse one across passes.

use super::ids::SectorId;

/// One value per sector, valid for the sectors written since the last [`Stamped::start`].
#[derive(Clone, Debug, Default)]
pub struct Stamped<T> {
    /// (the pass that wrote the sector, its value), side by side so that one cache line
    /// answers both.
    cells: Vec<(u32, T)>,
    stamp: u32,
}

impl<T: Copy + Default> Stamped<T> {
    /// Forgets every value, for a map of `n` sectors.
    pub fn start(&mut self, n: usize) {
        if self.cells.len() != n {
            self.cells = vec![(0, T::default()); n];
            self.stamp = 0;
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.cells.fill((0, T::default()));
            self.stamp = 1;
        }
    }

    /// The value written for `s` in this pass, if one was.
    #[inline]
    pub fn get(&self, s: SectorId) -> Option<T> {
        match self.cells.get(s.index()) {
            Some(&(stamp, value)) if stamp == self.stamp => Some(value),
            _ => None,
        }
    }

    /// Writes the value of `s` for this pass.
    #[inline]
    pub fn set(&mut self, s: SectorId, value: T) {
        self.cells[s.index()] = (self.stamp, value);
    }
}
