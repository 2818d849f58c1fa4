//! Static files are compiled into the binary and served under names that
//! carry a hash of their content, so browsers may cache them for a year and
//! a new release is fetched at once. No third-party CDN.
use crate::error::{AppError, AppResult};
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

struct Asset {
    /// The name pages refer to, e.g. `main.css`.
    name: &'static str,
    /// The name it is served under, e.g. `main.3f2a9c0d1e.css`.
    hashed: String,
    content_type: &'static str,
    etag: String,
    bytes: &'static [u8],
}

macro_rules! embedded {
    ($($name:literal => $path:literal, $ctype:literal;)*) => {
        &[$(($name, $ctype, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)) as &[u8]),)*]
    };
}

const FILES: &[(&str, &str, &[u8])] = embedded! {
    "main.css" => "style/main.css", "text/css; charset=utf-8";
    "favicon.svg" => "public/favicon.svg", "image/svg+xml";
    "emblem.svg" => "public/emblem.svg", "image/svg+xml";
    // The official sign-in buttons' graphics (public/licences/README.md).
    "spid-ico-circle-bb.svg" => "public/spid-ico-circle-bb.svg", "image/svg+xml";
    "entra-con-cie.svg" => "public/entra-con-cie.svg", "image/svg+xml";
};

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, content_type, bytes)| {
            let digest = Sha256::digest(bytes);
            let short: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            Asset { name, hashed: format!("{stem}.{short}.{ext}"), content_type, etag: format!("\"{short}\""), bytes }
        })
        .collect()
});

/// The URL of an embedded file, for use in pages.
pub fn url(name: &str) -> String {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => format!("/assets/{}", a.hashed),
        None => {
            tracing::error!(name, "unknown asset");
            format!("/assets/{name}")
        }
    }
}

/// `GET /assets/{file}`.
pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    let asset = ASSETS.iter().find(|a| a.hashed == file).ok_or(AppError::NotFound)?;
    let cache = HeaderValue::from_static("public, max-age=31536000, immutable");
    let etag = HeaderValue::from_str(&asset.etag).map_err(|e| AppError::other("web/assets", e))?;
    if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::CACHE_CONTROL, cache), (header::ETAG, etag)]).into_response());
    }
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
            (header::CACHE_CONTROL, cache),
            (header::ETAG, etag),
        ],
        asset.bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_carry_a_content_hash() {
        let u = super::url("main.css");
        assert!(u.starts_with("/assets/main.") && u.ends_with(".css") && u.len() > "/assets/main.css".len());
    }
}
