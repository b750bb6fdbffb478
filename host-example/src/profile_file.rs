//! Buyer profiles read from their files: the one loader of the CLI, the JSON bridge and the
//! native host core (PHP).
//!
//! [`ProfileFile::read`] reads a profile and, when it `extends` a base, finds the base in the
//! profile's own folder (`ID.json`, else any `.json` file there whose `id` is `ID`) and applies
//! the profile onto it ([`punchout_plugin::profile::resolve_extends`]). Resolution never leaves
//! that folder: an id that looks like a path, or a file that leads elsewhere (a symlink), is
//! refused; each file is read at most once, and a cycle is reported as such. Every refusal is an
//! `invalid-profile` error with the file it is about ([`ProfileFileError`]).
//!
//! Errors the engine finds later point into the merged profile. [`ProfileFile::locate`] turns
//! such a location back into the file the value comes from (the profile or the base that sets
//! it) and the line of the value there; when no line can be given, only the JSON pointer and the
//! file are, never the line of the merged text.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use punchout_plugin::error::Location;
use punchout_plugin::{Error, ErrorCode};
use serde_json::Value;

/// Largest profile file read (a profile with large lookup tables stays far below).
pub const MAX_PROFILE_BYTES: u64 = 4 << 20;

/// How many bases a profile may stack (as the core's `resolve_extends`).
const MAX_EXTENDS_DEPTH: usize = 8;

/// A refused profile file: the engine's typed error and the file it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileFileError {
    pub file: PathBuf,
    /// Boxed: the error travels up several calls and is rare.
    pub error: Box<Error>,
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.file.display(), self.error)
    }
}

impl std::error::Error for ProfileFileError {}

impl ProfileFileError {
    fn new(file: &Path, message: impl Into<String>) -> Self {
        ProfileFileError {
            file: file.to_path_buf(),
            error: Box::new(Error::new(ErrorCode::InvalidProfile, message)),
        }
    }

    fn at_extends(file: &Path, message: impl Into<String>) -> Self {
        ProfileFileError {
            file: file.to_path_buf(),
            error: Box::new(Error::new(ErrorCode::InvalidProfile, message).at_pointer("/extends")),
        }
    }

    /// The typed error as JSON, with the file beside code, message and location.
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(&self.error).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "file".to_owned(),
                Value::String(self.file.display().to_string()),
            );
        }
        value
    }
}

/// One file of a profile's chain: the profile or one of its bases.
#[derive(Clone, Debug)]
struct Source {
    path: PathBuf,
    text: String,
    /// The parsed JSON (`None` when the text is not JSON: the engine reports that).
    value: Option<Value>,
}

impl Source {
    fn new(path: PathBuf, text: String) -> Self {
        let value = serde_json::from_str(&text).ok();
        Source { path, text, value }
    }

    fn id(&self) -> Option<&str> {
        self.value.as_ref()?.get("id")?.as_str()
    }

    fn extends(&self) -> Option<&Value> {
        self.value.as_ref()?.get("extends")
    }
}

/// A buyer profile read from its file, its `extends` resolved.
#[derive(Clone, Debug)]
pub struct ProfileFile {
    /// The profile, then its bases, nearest first.
    chain: Vec<Source>,
    json: String,
    /// Files of the folder read to find the bases.
    base_reads: usize,
}

impl ProfileFile {
    /// Reads the profile at `path` and resolves its `extends` from the same folder.
    ///
    /// # Errors
    /// `invalid-profile` with the file: unreadable, a base missing (naming the folder and the
    /// profiles in it), an id that is a path, a file outside the folder, a cycle, or the merge
    /// refused.
    pub fn read(path: &Path) -> Result<Self, ProfileFileError> {
        let text = read_limited(path)?;
        Self::from_text(path, text)
    }

    /// A profile whose text the caller already read from `path` (bases are read from its folder).
    ///
    /// # Errors
    /// As [`ProfileFile::read`].
    pub fn from_text(path: &Path, text: String) -> Result<Self, ProfileFileError> {
        let mut chain = vec![Source::new(path.to_path_buf(), text)];
        let mut folder: Option<Folder> = None;
        while let Some(extends) = chain.last().and_then(Source::extends) {
            // Not a string: the merge below reports it at `/extends` of the right file.
            let Some(wanted) = extends.as_str().map(str::to_owned) else {
                break;
            };
            let child = chain
                .last()
                .map(|source| source.path.clone())
                .unwrap_or_default();
            check_base_id(&child, &wanted)?;
            let ids: Vec<&str> = chain
                .iter()
                .map(|source| source.id().unwrap_or(""))
                .collect();
            if ids.contains(&wanted.as_str()) {
                let mut cycle: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
                cycle.push(format!("`{wanted}`"));
                return Err(ProfileFileError::at_extends(
                    &child,
                    format!(
                        "profiles extend each other in a cycle: {}",
                        cycle.join(" → ")
                    ),
                ));
            }
            if chain.len() > MAX_EXTENDS_DEPTH {
                return Err(ProfileFileError::at_extends(
                    &child,
                    format!("profiles extend each other more than {MAX_EXTENDS_DEPTH} levels deep"),
                ));
            }
            let folder = match &mut folder {
                Some(folder) => folder,
                None => folder.insert(Folder::open(path, &chain[0].text)?),
            };
            let base = folder.find(&child, &wanted)?;
            chain.push(base);
        }
        let mut profile = ProfileFile {
            chain,
            json: String::new(),
            base_reads: folder.as_ref().map_or(0, |folder| folder.reads),
        };
        profile.json = match profile.chain.as_slice() {
            [only] => only.text.clone(),
            [child, bases @ ..] => {
                let bases: Vec<String> = bases.iter().map(|base| base.text.clone()).collect();
                punchout_plugin::profile::resolve_extends(&child.text, &bases)
                    .map_err(|error| profile.locate_error(error))?
            }
            [] => String::new(),
        };
        Ok(profile)
    }

    /// The profile's file.
    pub fn path(&self) -> &Path {
        self.chain
            .first()
            .map_or(Path::new(""), |source| &source.path)
    }

    /// The profile as the engine compiles it: its bases applied, no `extends`.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// How many files of the profile's folder were read to find its bases (each at most once;
    /// zero for a profile without `extends`).
    pub fn base_files_read(&self) -> usize {
        self.base_reads
    }

    /// The files of the profile's chain, the profile first.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.chain.iter().map(|source| source.path.as_path())
    }

    /// The names of the secrets the profile refers to (`{"secret": "NAME"}` under
    /// `/authentication`), with their JSON pointers.
    pub fn secret_references(&self) -> Vec<(String, String)> {
        let mut found = Vec::new();
        if let Ok(value) = serde_json::from_str::<Value>(&self.json) {
            if let Some(authentication) = value.get("authentication") {
                collect_secret_references(authentication, "/authentication", &mut found);
            }
        }
        found
    }

    /// The file an engine location (in the merged profile) is about, and the location in that
    /// file: the nearest file of the chain that sets the value (or, for a value none sets, the
    /// nearest that sets the longest part of its pointer), with the line and column of the value
    /// there. Without a pointer, or when the value cannot be found in the text, the line and
    /// column are left out. A profile without bases keeps the engine's line, else gets the line
    /// of the pointer's value.
    pub fn locate(&self, location: &Location) -> (PathBuf, Location) {
        let mut located = location.clone();
        if self.chain.len() <= 1 && location.line.is_some() {
            // The engine read this very text: its line is right.
            return (self.path().to_path_buf(), located);
        }
        located.line = None;
        located.column = None;
        let Some(pointer) = location.pointer.as_deref() else {
            return (self.path().to_path_buf(), located);
        };
        let segments = pointer_segments(pointer);
        let mut best: Option<(&Source, usize)> = None;
        for source in &self.chain {
            let Some(value) = &source.value else { continue };
            let depth = resolvable_depth(value, &segments);
            if best.is_none_or(|(_, known)| depth > known) {
                best = Some((source, depth));
            }
        }
        let Some((source, depth)) = best else {
            return (self.path().to_path_buf(), located);
        };
        if let Some(offset) = value_offset(&source.text, &segments[..depth]) {
            let (line, column) = line_and_column(&source.text, offset);
            located.line = Some(line);
            located.column = Some(column);
        }
        (source.path.clone(), located)
    }

    /// An engine error about this profile, located in the file it is about.
    pub fn locate_error(&self, error: Error) -> ProfileFileError {
        let (file, location) = self.locate(error.location());
        ProfileFileError {
            file,
            error: Box::new(Error::from_parts(
                error.code(),
                error.message().to_owned(),
                location,
            )),
        }
    }
}

fn collect_secret_references(value: &Value, pointer: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            if let (1, Some(Value::String(name))) = (object.len(), object.get("secret")) {
                found.push((name.clone(), format!("{pointer}/secret")));
                return;
            }
            for (key, inner) in object {
                let key = key.replace('~', "~0").replace('/', "~1");
                collect_secret_references(inner, &format!("{pointer}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                collect_secret_references(inner, &format!("{pointer}/{index}"), found);
            }
        }
        _ => {}
    }
}

pub use punchout_plugin::model::shorten;

/// `extends` names a profile of the same folder by id, never a path.
fn check_base_id(child: &Path, id: &str) -> Result<(), ProfileFileError> {
    let path_like = id.is_empty()
        || id.starts_with('.')
        || id.contains(['/', '\\', '\0'])
        || Path::new(id).is_absolute();
    if path_like {
        return Err(ProfileFileError::at_extends(
            child,
            format!(
                "`{}` is not a profile id: `extends` names a profile of the same folder by its id, not a path",
                shorten(id).escape_debug()
            ),
        ));
    }
    Ok(())
}

fn read_limited(path: &Path) -> Result<String, ProfileFileError> {
    let cannot = |error: std::io::Error| {
        ProfileFileError::new(path, format!("cannot read the profile: {error}"))
    };
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_PROFILE_BYTES {
        return Err(ProfileFileError {
            file: path.to_path_buf(),
            error: Box::new(Error::new(
                ErrorCode::LimitExceeded,
                format!("the profile has {size} bytes, more than the {MAX_PROFILE_BYTES} allowed"),
            )),
        });
    }
    std::fs::read_to_string(path).map_err(cannot)
}

/// A file of the folder as read: its text and its `id`.
struct FolderFile {
    text: String,
    id: Option<String>,
}

impl FolderFile {
    fn new(text: String) -> Self {
        let id = Source::new(PathBuf::new(), text.clone())
            .id()
            .map(str::to_owned);
        FolderFile { text, id }
    }
}

/// The profile's folder, each file read at most once.
struct Folder {
    /// The folder, canonical: every file read must resolve inside it.
    root: PathBuf,
    /// Files read so far, by canonical path.
    read: HashMap<PathBuf, FolderFile>,
    /// Whether every `.json` file of the folder has been read.
    scanned: bool,
    /// Files read from disk (each at most once).
    reads: usize,
}

impl Folder {
    fn open(profile: &Path, text: &str) -> Result<Self, ProfileFileError> {
        let folder = profile
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let root = folder.canonicalize().map_err(|error| {
            ProfileFileError::new(
                profile,
                format!(
                    "cannot open the profile's folder `{}`: {error}",
                    folder.display()
                ),
            )
        })?;
        let mut read = HashMap::new();
        // The profile itself is known already: it is not read again.
        if let Ok(canonical) = profile.canonicalize() {
            read.insert(canonical, FolderFile::new(text.to_owned()));
        }
        Ok(Folder {
            root,
            read,
            scanned: false,
            reads: 0,
        })
    }

    /// The base profile with id `id`: `ID.json`, else any `.json` file of the folder.
    fn find(&mut self, child: &Path, id: &str) -> Result<Source, ProfileFileError> {
        let direct = self.root.join(format!("{id}.json"));
        if std::fs::symlink_metadata(&direct).is_ok() {
            let canonical = self.inside(child, &direct)?;
            let file = self.read_once(&canonical)?;
            if file.id.as_deref() == Some(id) {
                return Ok(Source::new(direct, file.text.clone()));
            }
        }
        if !self.scanned {
            self.scan(child)?;
        }
        let mut found: Vec<(&PathBuf, &FolderFile)> = self
            .read
            .iter()
            .filter(|(_, file)| file.id.as_deref() == Some(id))
            .collect();
        found.sort_by(|left, right| left.0.cmp(right.0));
        if let Some((path, file)) = found.first() {
            return Ok(Source::new((*path).clone(), file.text.clone()));
        }
        let mut ids: Vec<&str> = self
            .read
            .values()
            .filter_map(|file| file.id.as_deref())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let listed = if ids.is_empty() {
            "no profiles there".to_owned()
        } else {
            let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            format!("profiles there: {}", ids.join(", "))
        };
        Err(ProfileFileError::at_extends(
            child,
            format!(
                "extends `{}`, which is not in the profile's folder `{}` ({listed})",
                shorten(id),
                self.root.display()
            ),
        ))
    }

    /// The canonical path of a file of the folder; refused when it resolves elsewhere.
    fn inside(&self, child: &Path, path: &Path) -> Result<PathBuf, ProfileFileError> {
        let canonical = path.canonicalize().map_err(|error| {
            ProfileFileError::at_extends(
                child,
                format!("cannot read `{}`: {error}", path.display()),
            )
        })?;
        if canonical.parent() != Some(self.root.as_path()) {
            return Err(ProfileFileError::at_extends(
                child,
                format!(
                    "`{}` leads outside the profile's folder `{}` (to `{}`): bases are read from that folder only",
                    path.display(),
                    self.root.display(),
                    canonical.display()
                ),
            ));
        }
        Ok(canonical)
    }

    fn read_once(&mut self, canonical: &Path) -> Result<&FolderFile, ProfileFileError> {
        if !self.read.contains_key(canonical) {
            let text = read_limited(canonical)?;
            self.reads += 1;
            self.read
                .insert(canonical.to_path_buf(), FolderFile::new(text));
        }
        self.read
            .get(canonical)
            .ok_or_else(|| ProfileFileError::new(canonical, "the profile was not kept"))
    }

    /// Reads every `.json` file of the folder not read yet; files leading elsewhere are passed.
    fn scan(&mut self, child: &Path) -> Result<(), ProfileFileError> {
        self.scanned = true;
        let entries = std::fs::read_dir(&self.root).map_err(|error| {
            ProfileFileError::at_extends(
                child,
                format!(
                    "cannot list the profile's folder `{}`: {error}",
                    self.root.display()
                ),
            )
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let Ok(canonical) = self.inside(child, &path) else {
                continue;
            };
            if self.read.contains_key(&canonical) || !canonical.is_file() {
                continue;
            }
            if let Ok(text) = read_limited(&canonical) {
                self.reads += 1;
                self.read.insert(canonical, FolderFile::new(text));
            }
        }
        Ok(())
    }
}

/// An RFC 6901 pointer's reference tokens, unescaped.
fn pointer_segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// How many leading segments of a pointer resolve in a value.
fn resolvable_depth(value: &Value, segments: &[String]) -> usize {
    let mut current = value;
    for (depth, segment) in segments.iter().enumerate() {
        let next = match current {
            Value::Object(object) => object.get(segment),
            Value::Array(items) => segment
                .parse::<usize>()
                .ok()
                .and_then(|index| items.get(index)),
            _ => None,
        };
        match next {
            Some(next) => current = next,
            None => return depth,
        }
    }
    segments.len()
}

/// The byte offset of the value a pointer names in a JSON text (the text parsed as JSON before,
/// so that only valid JSON reaches this scanner; `None` for anything unexpected).
fn value_offset(text: &str, segments: &[String]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut position = skip_whitespace(bytes, 0);
    for segment in segments {
        match bytes.get(position)? {
            b'{' => {
                position = skip_whitespace(bytes, position + 1);
                loop {
                    let key_end = string_end(bytes, position)?;
                    let key: String = serde_json::from_str(text.get(position..key_end)?).ok()?;
                    position = skip_whitespace(bytes, key_end);
                    (bytes.get(position)? == &b':').then_some(())?;
                    position = skip_whitespace(bytes, position + 1);
                    if key == *segment {
                        break;
                    }
                    position = skip_whitespace(bytes, value_end(bytes, position)?);
                    (bytes.get(position)? == &b',').then_some(())?;
                    position = skip_whitespace(bytes, position + 1);
                }
            }
            b'[' => {
                let wanted: usize = segment.parse().ok()?;
                position = skip_whitespace(bytes, position + 1);
                for _ in 0..wanted {
                    position = skip_whitespace(bytes, value_end(bytes, position)?);
                    (bytes.get(position)? == &b',').then_some(())?;
                    position = skip_whitespace(bytes, position + 1);
                }
            }
            _ => return None,
        }
    }
    Some(position)
}

fn skip_whitespace(bytes: &[u8], mut position: usize) -> usize {
    while bytes.get(position).is_some_and(u8::is_ascii_whitespace) {
        position += 1;
    }
    position
}

/// The offset after the string that starts at `position`.
fn string_end(bytes: &[u8], position: usize) -> Option<usize> {
    (bytes.get(position)? == &b'"').then_some(())?;
    let mut index = position + 1;
    loop {
        match bytes.get(index)? {
            b'\\' => index += 2,
            b'"' => return Some(index + 1),
            _ => index += 1,
        }
    }
}

/// The offset after the value that starts at `position`.
fn value_end(bytes: &[u8], position: usize) -> Option<usize> {
    match bytes.get(position)? {
        b'"' => string_end(bytes, position),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut index = position;
            loop {
                match bytes.get(index)? {
                    b'"' => {
                        index = string_end(bytes, index)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(index + 1);
                        }
                    }
                    _ => {}
                }
                index += 1;
            }
        }
        _ => {
            let mut index = position;
            while bytes.get(index).is_some_and(|byte| {
                !matches!(byte, b',' | b'}' | b']') && !byte.is_ascii_whitespace()
            }) {
                index += 1;
            }
            Some(index)
        }
    }
}

/// 1-based line and byte column of an offset.
fn line_and_column(text: &str, offset: usize) -> (u32, u32) {
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |at| at + 1)
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_of_the_folder_is_read_at_most_once() {
        let dir = std::env::temp_dir().join(format!("punchout-reads-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let profile = |id: &str, extends: Option<&str>| {
            let extends = extends.map_or(String::new(), |base| format!(r#""extends": "{base}", "#));
            format!(r#"{{{extends}"id": "{id}", "name": "{id}"}}"#)
        };
        // Bases in files not named by their ids: found by reading the folder, once.
        std::fs::write(dir.join("child.json"), profile("child", Some("middle"))).expect("write");
        std::fs::write(dir.join("one.json"), profile("middle", Some("top"))).expect("write");
        std::fs::write(dir.join("two.json"), profile("top", None)).expect("write");
        for other in ["x", "y", "z"] {
            std::fs::write(dir.join(format!("{other}.json")), profile(other, None)).expect("write");
        }
        let loaded = ProfileFile::read(&dir.join("child.json")).expect("resolved");
        assert_eq!(loaded.chain.len(), 3);
        assert_eq!(loaded.base_reads, 5, "the five other files, each once");

        // A cycle is found from the ids already read, without reading the folder again.
        std::fs::write(dir.join("two.json"), profile("top", Some("child"))).expect("write");
        let error = ProfileFile::read(&dir.join("child.json")).unwrap_err();
        assert_eq!(
            error.error.message(),
            "profiles extend each other in a cycle: `child` → `middle` → `top` → `child`"
        );
        assert_eq!(
            error.file,
            dir.join("two.json").canonicalize().expect("canonical")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn value_offsets_follow_the_pointer() {
        let text = "{\n  \"a\": {\"b/c\": [1, {\"d\": \"x\\\"y\"}]},\n  \"e\": true\n}";
        let offset = value_offset(text, &pointer_segments("/a/b~1c/1/d")).expect("found");
        assert_eq!(&text[offset..offset + 3], "\"x\\");
        assert_eq!(line_and_column(text, offset), (2, 26));
        let offset = value_offset(text, &pointer_segments("/e")).expect("found");
        assert_eq!(line_and_column(text, offset), (3, 8));
        assert_eq!(value_offset(text, &pointer_segments("/a/zz")), None);
        assert_eq!(value_offset(text, &pointer_segments("")), Some(0));
    }
}
