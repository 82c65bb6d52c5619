//! The movement phase: the turn's fleet orders become standing orders, then every fleet moves
//! at once, one step at a time. A fleet that enters a sector holding a fleet hostile to it
//! there stops (the combat phase makes them fight); two hostile fleets that would pass each
//! other on the same edge meet instead: the faster (or, if equal, the lower id) gets through
//! and the other is held where it was.

use bevy::prelude::*;

use super::buckets::SectorLists;
use super::diplomacy::{Diplomacy, FleetSide};
use super::events::{GameEvent, TurnLog};
use super::fleet::{Assignment, Fleet, Location, Speed, Task};
use super::galaxy::Galaxy;
use super::ids::{FactionId, FleetId, SectorId, narrow};
use super::orders::{Order, OrderRefusal, TurnOrders};
use super::sector::{Owner, SectorIndex, Shipyard};
use super::turn::{Turn, TurnSystems};
use super::view::WorldView;

/// Adds the movement phase's systems.
pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Turn,
        (apply_fleet_orders, move_fleets)
            .chain()
            .in_set(TurnSystems::Movement),
    );
}

/// Checks each fleet order against the world as it stands after diplomacy; accepted orders
/// replace the fleet's standing order, refused ones are logged with their reason.
fn apply_fleet_orders(
    orders: Res<TurnOrders>,
    mut world: ParamSet<(WorldView, Query<&mut Task>)>,
    mut commands: Commands,
    mut log: ResMut<TurnLog>,
) {
    // Room for every order at once: grown by doubling, the list of a large galaxy's orders
    // would be copied over and over.
    let mut accepted: Vec<(Entity, Order)> = Vec::with_capacity(orders.len());
    {
        let view = world.p0();
        for (faction, order) in orders.iter() {
            if order.fleet().is_none() {
                continue;
            }
            match view.check_fleet_order(faction, order) {
                Ok(()) => {
                    let entity = order
                        .fleet()
                        .and_then(|id| view.fleet_entity(id))
                        .expect("checked");
                    accepted.push((entity, order.clone()));
                }
                Err(reason) => {
                    log.write(GameEvent::OrderRefused {
                        faction,
                        order: order.clone(),
                        reason,
                    });
                }
            }
        }
    }
    let mut tasks = world.p1();
    for (entity, order) in accepted {
        let task = match order {
            Order::Move { route, .. } => Task::Move { route },
            Order::Hold { .. } => Task::Hold,
            Order::Patrol { stations, .. } => Task::Patrol {
                stations,
                toward: 0,
            },
            Order::Attack { target, .. } => Task::Attack { target },
            Order::Withdraw { .. } => Task::Withdraw,
            Order::Assign { command, .. } => {
                match command {
                    Some(a) => commands.entity(entity).insert(a),
                    None => commands.entity(entity).remove::<Assignment>(),
                };
                continue;
            }
            _ => continue,
        };
        if let Ok(mut t) = tasks.get_mut(entity) {
            *t = task;
        }
    }
}

/// Lays `route` at the end of the turn's list of plans; its span there.
fn lay(laid: &mut Vec<SectorId>, route: impl IntoIterator<Item = SectorId>) -> (u32, u32) {
    let start = laid.len();
    laid.extend(route);
    (narrow(start), narrow(laid.len() - start))
}

struct Mover {
    id: FleetId,
    side: FleetSide,
    start: SectorId,
    at: SectorId,
    speed: u32,
    /// Sectors still to enter this turn, last one first: where they start in the turn's list
    /// of plans, and how many are left.
    plan: (u32, u32),
    steps: u32,
    stopped: bool,
    intercepted: bool,
    /// Its order could not be carried out: the reason is in the turn's list of refusals.
    /// (Kept out of the mover, so that a mover takes 40 bytes rather than 72 and the steps,
    /// which sweep every mover each time, read little more than half as much.)
    blocked: bool,
    /// Its order is done: a route to its end, a withdrawal to a shipyard.
    arrived: bool,
}

fn move_fleets(
    galaxy: Res<Galaxy>,
    diplomacy: Res<Diplomacy>,
    sector_index: Res<SectorIndex>,
    sectors: Query<(&Owner, Has<Shipyard>)>,
    mut fleets: Query<(
        &Fleet,
        &mut Location,
        &Speed,
        &mut Task,
        Option<&Assignment>,
    )>,
    mut log: ResMut<TurnLog>,
    // Kept from one turn to the next, so that a table the size of the map is made once.
    mut occupants: Local<SectorLists>,
) {
    let mut movers: Vec<Mover> = fleets
        .iter()
        .map(|(fleet, location, speed, _, assignment)| Mover {
            id: fleet.id,
            side: FleetSide {
                owner: fleet.owner,
                command: assignment.copied(),
            },
            start: location.0,
            at: location.0,
            speed: u32::from(speed.0),
            plan: (0, 0),
            steps: 0,
            stopped: false,
            intercepted: false,
            blocked: false,
            arrived: false,
        })
        .collect();
    // The movers stay in the order the fleets' table holds them, so that reading each fleet's
    // order and writing back where it ended sweep the table once each rather than jump about
    // it; `by_id` lists them in id order, for finding a target and for the log.
    let mut by_id: Vec<(FleetId, u32)> = movers
        .iter()
        .enumerate()
        .map(|(k, m)| (m.id, narrow(k)))
        .collect();
    radsort::sort_by_key(&mut by_id, |p| p.0.0);
    let position = |id: FleetId| {
        by_id
            .binary_search_by_key(&id, |p| p.0)
            .ok()
            .map(|k| movers[by_id[k].1 as usize].at)
    };
    // Every fleet's plan, one after another in one list: a route copied out is a span of it,
    // not a list of its own to make and drop for every fleet.
    let mut laid: Vec<SectorId> = Vec::with_capacity(movers.len() * 2);
    let mut plans: Vec<Result<(u32, u32), OrderRefusal>> = Vec::with_capacity(movers.len());

    let friendly_shipyard = |faction: FactionId, s: SectorId| {
        let (owner, shipyard) = sectors
            .get(sector_index.entity(s))
            .expect("every sector has an entity");
        shipyard && owner.0.is_some_and(|o| diplomacy.friendly(o, faction))
    };
    // Each fleet's route is laid last sector first: its plan is taken from the end. The query
    // goes through the fleets in the order it gave the movers.
    for (m, (fleet, _, _, task, _)) in movers.iter().zip(fleets.iter()) {
        debug_assert_eq!(fleet.id, m.id, "the query gives the fleets in one order");
        let plan = match task {
            Task::Hold => Ok(Vec::new()),
            // No more of a standing route than the fleet can move this turn.
            Task::Move { route } => {
                let reach = route.iter().take(m.speed as usize);
                plans.push(Ok(lay(&mut laid, reach.rev().copied())));
                continue;
            }
            Task::Patrol { stations, toward } => {
                let toward = *toward as usize;
                let goal = if m.at == stations[toward] {
                    stations[1 - toward]
                } else {
                    stations[toward]
                };
                galaxy
                    .route(m.at, goal)
                    .map_err(|e| OrderRefusal::no_route(e, goal))
            }
            // An attack goes only as far as the fleet reaches this turn; a target destroyed
            // or out of reach is not chased.
            Task::Attack { target } => Ok(position(*target)
                .and_then(|there| galaxy.route_within(m.at, there, m.speed))
                .unwrap_or_default()),
            Task::Withdraw => galaxy
                .route_to_nearest(m.at, |s| friendly_shipyard(m.side.owner, s))
                .ok_or(OrderRefusal::NowhereToWithdraw),
        };
        plans.push(plan.map(|route| lay(&mut laid, route.into_iter().rev())));
    }
    // Why each blocked mover stopped, by its place among the movers; few are.
    let mut refusals: Vec<(u32, OrderRefusal)> = Vec::new();
    for (i, (m, plan)) in movers.iter_mut().zip(plans).enumerate() {
        match plan {
            Ok(plan) => m.plan = plan,
            Err(reason) => {
                m.stopped = true;
                m.blocked = true;
                refusals.push((narrow(i), reason));
            }
        }
    }

    let max_speed = movers.iter().map(|m| m.speed).max().unwrap_or(0);
    // Where every fleet is, kept up to date step by step.
    let occupants = &mut *occupants;
    occupants.fill(galaxy.sector_count(), movers.iter().map(|m| m.at));
    for _ in 0..max_speed {
        let mut intents: Vec<(usize, SectorId)> = Vec::with_capacity(movers.len());
        for (i, m) in movers.iter_mut().enumerate() {
            if m.stopped || m.steps >= m.speed {
                continue;
            }
            let (start, left) = m.plan;
            if left == 0 {
                continue;
            }
            let next = laid[(start + left - 1) as usize];
            match galaxy.step(m.at, next) {
                Ok(()) => intents.push((i, next)),
                Err(link) => {
                    m.stopped = true;
                    m.blocked = true;
                    refusals.push((
                        narrow(i),
                        match link {
                            Some(link) => OrderRefusal::LinkClosed(link),
                            None => OrderRefusal::NotConnected {
                                from: m.at,
                                to: next,
                            },
                        },
                    ));
                }
            }
        }
        if intents.is_empty() {
            break;
        }
        // Fleets crossing the same way between two sectors in opposite directions meet: the
        // steps sorted by the pair of sectors they join put each such pair side by side, and
        // within a pair each step going one way is matched with each going the other.
        let mut crossings: Vec<(u64, u32)> = intents
            .iter()
            .enumerate()
            .map(|(k, &(i, to))| {
                let (a, b) = (movers[i].at.0.min(to.0), movers[i].at.0.max(to.0));
                ((u64::from(a) << 32) | u64::from(b), k as u32)
            })
            .collect();
        radsort::sort_by_key(&mut crossings, |c| c.0);
        let mut held = vec![false; intents.len()];
        for way in crossings
            .chunk_by(|x, y| x.0 == y.0)
            .filter(|w| w.len() > 1)
        {
            let (up, down): (Vec<u32>, Vec<u32>) = way.iter().map(|&(_, k)| k).partition(|&k| {
                let (i, to) = intents[k as usize];
                movers[i].at < to
            });
            for &k in &up {
                for &l in &down {
                    let ((i, to), (j, _)) = (intents[k as usize], intents[l as usize]);
                    let (a, b) = (&movers[i], &movers[j]);
                    let hostile = [galaxy.block_of(a.at), galaxy.block_of(to)]
                        .into_iter()
                        .any(|block| {
                            diplomacy.fleets_hostile(a.side, b.side, block)
                                || diplomacy.fleets_hostile(b.side, a.side, block)
                        });
                    if hostile {
                        let i_first = (b.speed, a.id) < (a.speed, b.id);
                        held[if i_first { l } else { k } as usize] = true;
                    }
                }
            }
        }
        let mut moved_now = Vec::with_capacity(intents.len());
        for (k, &(i, to)) in intents.iter().enumerate() {
            let m = &mut movers[i];
            if held[k] {
                m.stopped = true;
                m.intercepted = true;
                continue;
            }
            occupants.shift(i, m.at, to);
            m.at = to;
            m.plan.1 -= 1;
            m.steps += 1;
            moved_now.push(i);
        }
        // Who is where now, to find the fleets that ran into enemies.
        for i in moved_now {
            let at = movers[i].at;
            let block = galaxy.block_of(at);
            let contact = occupants
                .get(at)
                .any(|j| diplomacy.fleets_hostile(movers[i].side, movers[j].side, block));
            if contact {
                movers[i].stopped = true;
                movers[i].intercepted = true;
            }
        }
    }

    // Where each fleet ended and what became of its order, written back in the table's order;
    // then the log, in id order.
    for (m, (fleet, mut location, _, mut task, _)) in movers.iter_mut().zip(fleets.iter_mut()) {
        debug_assert_eq!(fleet.id, m.id, "the query gives the fleets in one order");
        location.0 = m.at;
        if m.blocked {
            *task = Task::Hold;
            continue;
        }
        let reached = m.plan.1 == 0;
        match &mut *task {
            Task::Move { route } => {
                route.drain(..m.steps as usize);
                if route.is_empty() {
                    *task = Task::Hold;
                    m.arrived = true;
                }
            }
            Task::Patrol { stations, toward } => {
                if m.at == stations[*toward as usize] {
                    *toward = 1 - *toward;
                }
            }
            Task::Attack { .. } => *task = Task::Hold,
            Task::Withdraw if reached => {
                *task = Task::Hold;
                m.arrived = true;
            }
            Task::Withdraw | Task::Hold => {}
        }
    }
    // A mover stops at most once, so each has at most one refusal.
    refusals.sort_unstable_by_key(|r| r.0);
    debug_assert!(
        refusals.windows(2).all(|w| w[0].0 < w[1].0),
        "a mover is blocked once"
    );
    // Most movers log a move: the log has room for one event a fleet (see `TurnLog::start`).
    for &(_, k) in &by_id {
        let m = &movers[k as usize];
        if m.at != m.start {
            log.write(GameEvent::FleetMoved {
                fleet: m.id,
                from: m.start,
                to: m.at,
                steps: m.steps,
            });
        }
        if m.intercepted {
            log.write(GameEvent::FleetIntercepted {
                fleet: m.id,
                sector: m.at,
            });
        }
        if m.blocked {
            let reason = refusals
                .binary_search_by_key(&k, |r| r.0)
                .map(|at| refusals[at].1.clone())
                .expect("a blocked mover has its refusal");
            log.write(GameEvent::FleetBlocked {
                fleet: m.id,
                sector: m.at,
                reason,
            });
        } else if m.arrived {
            log.write(GameEvent::FleetArrived {
                fleet: m.id,
                sector: m.at,
            });
        }
    }
}
