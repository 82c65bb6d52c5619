//! Live reload for modders: the game's files and every `--mod` folder are watched through
//! Bevy's asset file watching while the window runs. When a scenario, campaign, map, roster or
//! mod file changes, everything is read again and checked as `khitomer check` checks it. If the
//! game's own content is sound, it waits for the turn to end and is then taken in (see
//! [`crate::session::reload`]); if not, the diagnostics — file, line, column, the fix — are
//! shown and the game goes on with the last good content. The menu follows the files too.
//! A broken file never stops the game.

use std::path::{Path, PathBuf};

use bevy::asset::io::{
    AssetReader, AssetReaderError, AssetSource, AssetSourceBuilder, AssetSourceId,
    ErasedAssetReader, PathStream, Reader,
};
use bevy::asset::{AssetLoader, LoadContext, LoadedFolder};
use bevy::prelude::*;

use crate::cli::find::open_session;
use crate::content::{ContentPaths, Library};

use super::catalog::Catalog;
use super::playing::Playing;

/// A watched content file. Its text is read again from disk with everything else when any
/// file changes; the asset only lets the watcher say which.
#[derive(Asset, TypePath, Debug)]
pub struct ContentFile;

#[derive(TypePath, Default)]
struct ContentFileLoader;

impl AssetLoader for ContentFileLoader {
    type Asset = ContentFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        _context: &mut LoadContext<'_>,
    ) -> Result<ContentFile, std::io::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        Ok(ContentFile)
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

/// Where the content lives and what the watcher has seen.
#[derive(Resource, Debug)]
pub struct ContentWatch {
    /// The folder of the game's own files.
    pub root: PathBuf,
    /// The mod folders.
    pub mods: Vec<PathBuf>,
    folders: Vec<Handle<LoadedFolder>>,
    /// The files of the first load: their `Added` events, which can come a frame after the
    /// load states say they are in, are not changes.
    first: std::collections::BTreeSet<AssetId<ContentFile>>,
    /// Whether the first load of every watched folder is done (changes count from then).
    settled: bool,
    /// The diagnostics of the content as it now is, when it has errors; the game goes on with
    /// the last good content.
    pub problems: Option<String>,
    /// What the last change came to, in words.
    pub status: Option<String>,
    /// How many changes have been read.
    pub changes: u32,
}

impl ContentWatch {
    /// Whether the watched files have all been loaded once, so that changes are seen.
    pub fn is_watching(&self) -> bool {
        self.settled
    }
}

/// The asset source a mod folder is watched through.
fn mod_source(i: usize) -> String {
    format!("khitomer-mod-{i}")
}

/// Paths as the watcher needs them: absolute.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Reads a watched folder as the command line reads content: only regular files are opened.
/// A named pipe, a device or a socket with a content file's name is refused unopened, so it
/// can never hold an asset thread waiting.
struct RegularFiles {
    root: PathBuf,
    inner: Box<dyn ErasedAssetReader>,
}

impl RegularFiles {
    fn check(&self, path: &Path) -> Result<(), AssetReaderError> {
        crate::files::check_regular(&self.root.join(path))
            .map(|_| ())
            .map_err(|why| {
                AssetReaderError::Io(std::sync::Arc::new(std::io::Error::other(why.to_string())))
            })
    }
}

impl AssetReader for RegularFiles {
    async fn read<'a>(&'a self, path: &'a Path) -> Result<impl Reader + 'a, AssetReaderError> {
        self.check(path)?;
        self.inner.read(path).await
    }

    async fn read_meta<'a>(&'a self, path: &'a Path) -> Result<impl Reader + 'a, AssetReaderError> {
        self.inner.read_meta(path).await
    }

    async fn read_directory<'a>(
        &'a self,
        path: &'a Path,
    ) -> Result<Box<PathStream>, AssetReaderError> {
        self.inner.read_directory(path).await
    }

    async fn is_directory<'a>(&'a self, path: &'a Path) -> Result<bool, AssetReaderError> {
        self.inner.is_directory(path).await
    }
}

/// The platform's source for a folder, reading only its regular files.
fn watched(dir: &Path) -> AssetSourceBuilder {
    let root = absolute(dir);
    let shown = root.display().to_string();
    let mut default = AssetSource::get_default_reader(shown.clone());
    AssetSourceBuilder::platform_default(&shown, None).with_reader(move || {
        Box::new(RegularFiles {
            root: root.clone(),
            inner: default(),
        })
    })
}

/// Registers the asset sources of the game's folder and of each mod folder. Must come before
/// the `AssetPlugin`.
pub fn sources(app: &mut App, root: &Path, mods: &[PathBuf]) {
    app.register_asset_source(AssetSourceId::Default, watched(root));
    for (i, dir) in mods.iter().enumerate() {
        app.register_asset_source(mod_source(i), watched(dir));
    }
}

/// The `AssetPlugin` for watching the game's files under `root`.
pub fn asset_plugin(root: &Path) -> AssetPlugin {
    AssetPlugin {
        file_path: absolute(root).display().to_string(),
        watch_for_changes_override: Some(true),
        meta_check: bevy::asset::AssetMetaCheck::Never,
        ..default()
    }
}

/// Watches the content under `root` and the mods. Needs the `AssetPlugin` from
/// [`asset_plugin`], the mods' [`sources`], and the logic plugin.
pub fn plugin(root: PathBuf, mods: Vec<PathBuf>) -> impl Fn(&mut App) {
    move |app: &mut App| {
        app.init_asset::<ContentFile>()
            .register_asset_loader(ContentFileLoader)
            .insert_resource(ContentWatch {
                root: root.clone(),
                mods: mods.clone(),
                folders: Vec::new(),
                first: Default::default(),
                settled: false,
                problems: None,
                status: None,
                changes: 0,
            })
            .add_systems(Startup, watch)
            .add_systems(
                Update,
                changed
                    .in_set(super::GuiSystems::Commands)
                    .before(super::playing::poll_resolving),
            );
    }
}

fn watch(server: Res<AssetServer>, mut content: ResMut<ContentWatch>) {
    let mut folders: Vec<Handle<LoadedFolder>> = ["scenarios", "campaigns", "assets"]
        .iter()
        .filter(|f| content.root.join(f).is_dir())
        .map(|f| server.load_folder(*f))
        .collect();
    for i in 0..content.mods.len() {
        folders
            .push(server.load_folder(bevy::asset::AssetPath::from("").with_source(mod_source(i))));
    }
    content.folders = folders;
}

/// Reads the content again when a watched file changed.
fn changed(
    server: Res<AssetServer>,
    mut files: MessageReader<AssetEvent<ContentFile>>,
    mut folders: MessageReader<AssetEvent<LoadedFolder>>,
    loaded: Res<Assets<LoadedFolder>>,
    mut content: ResMut<ContentWatch>,
    mut catalog: ResMut<Catalog>,
    playing: Option<ResMut<Playing>>,
) {
    // Only a modification is a change: the first load's `Added` events can arrive a frame
    // after the load states say the files are in, and a file added later modifies its folder.
    let first = &content.first;
    let touched = files.read().any(|e| match e {
        AssetEvent::Modified { .. } => true,
        AssetEvent::Added { id } => !first.contains(id),
        _ => false,
    }) | folders
        .read()
        .any(|e| matches!(e, AssetEvent::Modified { .. }));
    if !content.settled {
        // The first load of every file is not a change. It is done when every folder is
        // listed and each of its files is in or has failed (a file that cannot be read — not
        // a regular file, say — fails, and the content check names it).
        let done = |h: &UntypedHandle| {
            matches!(
                server.get_load_state(h.id()),
                Some(bevy::asset::LoadState::Loaded | bevy::asset::LoadState::Failed(_))
            )
        };
        // A folder one of whose files failed may itself fail: it is done, with nothing in it.
        let listed: Option<Vec<Option<&LoadedFolder>>> = content
            .folders
            .iter()
            .map(|f| match server.get_load_state(f) {
                Some(bevy::asset::LoadState::Failed(_)) => Some(None),
                _ => loaded
                    .get(f)
                    .filter(|folder| folder.handles.iter().all(done))
                    .map(Some),
            })
            .collect();
        if let Some(listed) = listed {
            let first = listed
                .iter()
                .flatten()
                .flat_map(|f| &f.handles)
                .filter_map(|h| h.id().try_typed::<ContentFile>().ok())
                .collect();
            content.first = first;
            content.settled = true;
        }
        return;
    }
    if !touched {
        return;
    }
    content.changes += 1;
    let lib = Library::load_with_mods(&ContentPaths::under(&content.root), &content.mods);
    content.problems = lib.report.has_errors().then(|| lib.report.render(false));
    // The menu shows what the files now offer.
    *catalog = Catalog::load_at(&content.root, &content.mods);
    let Some(mut playing) = playing else {
        content.status = Some(match &content.problems {
            Some(_) => "the content has errors".into(),
            None => "the content was read again".into(),
        });
        return;
    };
    let shared = lib.report.subset(0..lib.shared_diagnostics);
    if shared.has_errors() {
        content.status =
            Some("the changed files have errors; the game goes on with the content it has".into());
        return;
    }
    let mut lib = lib;
    let play = playing.origin.play.clone();
    let seed = playing.origin.seed;
    match open_session(&mut lib, &play, Some(seed)) {
        Ok(opened) => {
            playing.content = Some(opened.session.chapters().to_vec());
            content.status = Some(format!(
                "the changed content of `{play}` is sound; it comes into play when this turn ends"
            ));
        }
        Err(failure) => {
            // The files' own diagnostics say where; the failure says what it means for the game.
            let mut problems = content.problems.take().unwrap_or_default();
            problems.push_str(&super::plain_text(&failure.to_string()));
            content.problems = Some(problems);
            content.status = Some(format!(
                "`{play}` has errors now; the game goes on with the content it has"
            ));
        }
    }
}

/// Shows the content's diagnostics while it has errors, on every screen.
pub(super) fn view(app: &mut App) {
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        problems.run_if(resource_exists::<ContentWatch>),
    );
}

fn problems(
    mut contexts: bevy_egui::EguiContexts,
    content: Res<ContentWatch>,
    mut hidden: Local<u32>,
) -> Result {
    use bevy_egui::egui;
    let Some(problems) = content.problems.clone() else {
        return Ok(());
    };
    if *hidden == content.changes {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let status = content.status.clone().unwrap_or_default();
    egui::Window::new("The changed files have errors")
        .anchor(egui::Align2::RIGHT_TOP, [-12.0, 40.0])
        .fixed_size([620.0, 300.0])
        .show(ctx, |ui| {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(&status).color(egui::Color32::from_rgb(255, 190, 120)),
                )
                .wrap(),
            );
            egui::ScrollArea::both()
                .max_height(260.0)
                .max_width(620.0)
                .show(ui, |ui| {
                    ui.add(egui::Label::new(egui::RichText::new(&problems).monospace()).extend());
                });
            if ui.button("Hide until the next change").clicked() {
                *hidden = content.changes;
            }
        });
    Ok(())
}
