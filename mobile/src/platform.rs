//! Where the app keeps its data. On Android, the app-private files directory
//! (`Context.getFilesDir()`, through JNI: Dioxus has no API for it and `dirs` finds nothing);
//! elsewhere `$RASOAT_APP_DATA`, else `$XDG_DATA_HOME/rasoat-app` or `~/.local/share/rasoat-app`.

use std::path::PathBuf;

/// The data directory.
#[cfg(not(target_os = "android"))]
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RASOAT_APP_DATA") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    base.unwrap_or_else(|| PathBuf::from(".")).join("rasoat-app")
}

/// The data directory: `Context.getFilesDir()` (private to the app; other apps cannot read it).
#[cfg(target_os = "android")]
pub fn data_dir() -> PathBuf {
    android_files_dir().unwrap_or_else(|| PathBuf::from("/data/local/tmp/rasoat-app"))
}

#[cfg(target_os = "android")]
#[allow(unsafe_code)] // The JavaVM and Context pointers come from the Android activity (ndk-context).
fn android_files_dir() -> Option<PathBuf> {
    use jni::JavaVM;
    use jni::objects::{JObject, JString};
    let ctx = ndk_context::android_context();
    // SAFETY: ndk-context hands out the process's JavaVM and the activity's Context.
    let vm = unsafe { JavaVM::from_raw(ctx.vm().cast()) }.ok()?;
    let mut env = vm.attach_current_thread().ok()?;
    // SAFETY: the pointer is a live global reference to the Context for the app's lifetime.
    let context = unsafe { JObject::from_raw(ctx.context().cast()) };
    let dir = env.call_method(&context, "getFilesDir", "()Ljava/io/File;", &[]).ok()?.l().ok()?;
    let path = env.call_method(&dir, "getAbsolutePath", "()Ljava/lang/String;", &[]).ok()?.l().ok()?;
    let path: String = env.get_string(&JString::from(path)).ok()?.into();
    Some(PathBuf::from(path))
}
