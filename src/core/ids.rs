//! Stable identifiers for everything in the world.
//!
//! An `Entity` is an address inside one run of the ECS; these ids are what saves, replays and
//! the turn log use to name things. Each is a dense index into the scenario's own lists, so the
//! same scenario always gives the same ids, and lookups are array indexing.

use serde::{Deserialize, Serialize};

macro_rules! stable_id {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl $name {
            /// The position of this thing in its list.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id of the thing at `index` in its list.
            #[inline]
            pub fn from_index(index: usize) -> Self {
                Self(<$inner>::try_from(index).expect(concat!(stringify!($name), " out of range")))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}#{}", stringify!($name), self.0)
            }
        }
    };
}

stable_id!(
    /// A sector: one hex of the map.
    SectorId(u32)
);
stable_id!(
    /// A sector block: a named region of sectors (Tau Dewa, Eta Eridani, ...).
    BlockId(u16)
);
stable_id!(
    /// A link between sectors that are not neighbours: a gateway, a wormhole, a conduit.
    LinkId(u16)
);
stable_id!(
    /// A faction (power) of the scenario.
    FactionId(u16)
);
stable_id!(
    /// A character: a leader or commander.
    CharacterId(u16)
);
stable_id!(
    /// A fleet. Fleets built during play get the next free id.
    FleetId(u32)
);
stable_id!(
    /// An alliance: an organisation of factions.
    AllianceId(u16)
);
stable_id!(
    /// A treaty, in force or broken.
    TreatyId(u32)
);
stable_id!(
    /// A diplomatic proposal awaiting its answers.
    ProposalId(u32)
);

/// A place in one of the world's tables, as the `u32` that ids and the canonical form's parts
/// are written in: the content limits keep every table far below `u32::MAX`.
pub(crate) fn narrow(i: usize) -> u32 {
    u32::try_from(i).expect("the limits keep every table far below u32::MAX")
}
