//! A person's seat on the command line: the seats a game is played with, and the orders of
//! the person's seat read from an orders file and given turn by turn through the driver,
//! each refusal printed with its reason.

use std::path::{Path, PathBuf};

use crate::chronicle::Chronicle;
use crate::content::orders::{Orders, read_orders};
use crate::core::events::GameEvent;
use crate::core::ids::FactionId;
use crate::core::orders::named::{NamedOrder, Names, Unresolved};
use crate::driver::Driver;
use crate::session::ChapterStart;

use super::{Failure, colour_stderr};

/// The message for a person's seat with no orders to play it by.
pub fn orders_missing(faction: &str, option: &str) -> Failure {
    Failure::Input(format!(
        "error: `{option}` gives `{faction}` to a person, and no orders were given for it\n  \
         = write its orders in a file and add `--orders FILE` (an example: examples/orders.ron)\n  \
         = or leave out `{option}` to watch the AI play every faction\n"
    ))
}

/// The orders file of the person's seat, read and checked against the game's chapters.
pub fn load_orders(
    path: &Path,
    chapters: &[ChapterStart],
    faction: &str,
) -> Result<Orders, Failure> {
    read_orders(path, chapters, faction).map_err(|report| {
        Failure::Input(format!(
            "{}error: the orders in `{}` cannot be played: {} problem(s)\n",
            report.render(colour_stderr()),
            crate::content::display_path(path),
            report.error_count()
        ))
    })
}

/// What became of an order the person's file gave that the turn will not see.
pub enum NotGiven {
    /// The rules refuse it: the same event the turn would log.
    Refused(GameEvent),
    /// It names something the game does not have now.
    Unresolved {
        /// Whose order.
        faction: FactionId,
        /// The order as written.
        order: NamedOrder,
        /// Why.
        why: Unresolved,
    },
}

impl NotGiven {
    /// The line the turn log prints for it.
    pub fn text(&self, chronicle: &Chronicle<'_>) -> String {
        match self {
            NotGiven::Refused(event) => chronicle.event(event),
            NotGiven::Unresolved {
                faction,
                order,
                why,
            } => {
                let why = match why {
                    Unresolved::Refused(reason) => chronicle.refusal(reason),
                    other => other.to_string(),
                };
                format!(
                    "refused    {}: {} — {why}",
                    chronicle.faction(*faction),
                    ron::to_string(order).unwrap_or_default()
                )
            }
        }
    }

    /// The object `--json` prints for it.
    pub fn json(&self, chronicle: &Chronicle<'_>) -> serde_json::Value {
        let mut value = match self {
            NotGiven::Refused(event) => serde_json::to_value(event).unwrap_or_default(),
            NotGiven::Unresolved { faction, order, .. } => serde_json::json!({
                "event": "order_unresolved",
                "data": { "faction": faction, "order": ron::to_string(order).unwrap_or_default() },
            }),
        };
        if let Some(map) = value.as_object_mut() {
            map.insert("text".into(), self.text(chronicle).into());
        }
        value
    }
}

/// Gives the person seat `faction` its orders for the coming turn from the file, each checked
/// by the driver; returns those not given and why.
pub fn give_from_file(driver: &mut Driver, faction: FactionId, orders: &Orders) -> Vec<NotGiven> {
    let game = driver.game();
    let list = orders
        .for_turn(driver.session().chapter(), game.turn())
        .to_vec();
    let mut not_given = Vec::new();
    for named in list {
        let resolved = Names::new(driver.game().world()).resolve(faction, &named);
        match resolved {
            Ok(order) => {
                if let Err(reason) = driver.give(faction, order.clone()) {
                    not_given.push(NotGiven::Refused(GameEvent::OrderRefused {
                        faction,
                        order,
                        reason,
                    }));
                }
            }
            Err(why) => not_given.push(NotGiven::Unresolved {
                faction,
                order: named,
                why,
            }),
        }
    }
    not_given
}

/// Where `--take` records its branch by default: beside the replay.
pub fn branch_path(replay: &Path, faction: &str, at: u32) -> PathBuf {
    let mut name = replay.file_stem().unwrap_or_default().to_os_string();
    name.push(format!(".{faction}-after-{at}.ron"));
    replay.with_file_name(name)
}
