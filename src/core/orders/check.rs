//! Checking an order before the turn is resolved: would the turn carry it out if it were
//! resolved now, and if not, the typed reason it would give. A person's orders are checked
//! here as they are given, so a refusal shows where the order was made, not a month later.
//!
//! The check runs the turn's own checks — the diplomacy phase's [`carry_out`] on a copy of the
//! relations, [`WorldView::check_fleet_order_in`], [`WorldView::check_build`], the events
//! phase's rules for choices — over the world as it stands, after the faction's own earlier
//! orders of the turn: a declaration of war makes the attack given after it possible, a
//! first build spends what a second one cannot. What other factions will do this turn cannot
//! be known, so an order that passes here can still be refused when the turn is played
//! (and is then logged with its reason like any other).

use std::collections::BTreeMap;

use bevy::prelude::*;

use super::{Order, OrderRefusal};
use crate::core::calendar::Calendar;
use crate::core::diplomacy::{Diplomacy, carry_out};
use crate::core::ids::{FactionId, SectorId};
use crate::core::script::Script;
use crate::core::view::WorldView;

/// What the check is asked: the faction, the order, and the faction's earlier orders of the
/// turn, in the order given.
pub(crate) struct Question {
    pub faction: FactionId,
    pub order: Order,
    pub earlier: Vec<Order>,
}

/// The check as a system, run on the game's world.
pub(crate) fn check_order(
    In(q): In<Question>,
    view: WorldView,
    calendar: Res<Calendar>,
    script: Res<Script>,
) -> Result<(), OrderRefusal> {
    let Question {
        faction,
        order,
        earlier,
    } = q;
    if faction.index() >= view.faction_count() {
        return Err(OrderRefusal::NoSuchFaction(faction));
    }
    if view.faction(faction).defeated.is_some() {
        return Err(OrderRefusal::Defeated);
    }
    let defeated: Vec<bool> = (0..view.faction_count())
        .map(|i| view.faction(FactionId::from_index(i)).defeated.is_some())
        .collect();
    // Relations as the faction's earlier diplomatic orders leave them.
    let mut diplomacy: Diplomacy = (*view.diplomacy).clone();
    let mut scratch = Vec::new();
    let mut carry = |diplomacy: &mut Diplomacy, o: &Order| {
        carry_out(
            diplomacy,
            &view.rules,
            &defeated,
            calendar.turn,
            faction,
            o,
            &mut scratch,
        )
    };
    for o in earlier.iter().filter(|o| o.is_diplomatic()) {
        let _ = carry(&mut diplomacy, o);
    }
    match &order {
        o if o.is_diplomatic() => carry(&mut diplomacy, o),
        Order::Build { sector, .. } => {
            check_build(&view, &diplomacy, faction, &order, *sector, &earlier)
        }
        Order::Choose { event, option } => check_choice(&script, faction, event, option, &earlier),
        _ => view.check_fleet_order_in(&diplomacy, faction, &order),
    }
}

/// A build, after the faction's earlier builds of the turn have spent what they would.
fn check_build(
    view: &WorldView,
    diplomacy: &Diplomacy,
    faction: FactionId,
    order: &Order,
    sector: SectorId,
    earlier: &[Order],
) -> Result<(), OrderRefusal> {
    if !view.galaxy.contains(sector) {
        return Err(OrderRefusal::NoSuchSector(sector));
    }
    let mut have = view.treasury_after_upkeep(faction);
    let mut built: BTreeMap<SectorId, u32> = BTreeMap::new();
    let blockade = |s: SectorId| {
        view.galaxy
            .contains(s)
            .then(|| view.hostile_presence_in(diplomacy, s, faction))
            .flatten()
    };
    for o in earlier {
        if let Order::Build {
            sector: at,
            strength,
        } = *o
        {
            let here = built.get(&at).copied().unwrap_or(0);
            if view
                .check_build(faction, o, have, here, blockade(at))
                .is_ok()
            {
                have -= i64::from(strength) * i64::from(view.rules.ship_cost);
                *built.entry(at).or_default() += strength;
            }
        }
    }
    let built_here = built.get(&sector).copied().unwrap_or(0);
    view.check_build(faction, order, have, built_here, blockade(sector))
}

/// An answer to a choice: one must be waiting for the faction, with that option, and not
/// already answered by an earlier order of the turn (the turn takes the first answer).
fn check_choice(
    script: &Script,
    faction: FactionId,
    event: &str,
    option: &str,
    earlier: &[Order],
) -> Result<(), OrderRefusal> {
    let answered = earlier
        .iter()
        .any(|o| matches!(o, Order::Choose { event: e, .. } if e == event));
    let Some((_, choice)) = script
        .choices_for(faction)
        .find(|(key, _)| *key == event)
        .filter(|_| !answered)
    else {
        return Err(OrderRefusal::NoSuchChoice(event.to_owned()));
    };
    if choice.options.iter().any(|o| o.key == option) {
        Ok(())
    } else {
        Err(OrderRefusal::NoSuchOption(option.to_owned()))
    }
}
