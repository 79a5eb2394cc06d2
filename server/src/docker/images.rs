//! Images: whether one is present, pulling it when it is not, tagging, removing, and listing
//! the ones Ployer made. A pull that fails is an error, never a quiet success.

use std::collections::HashMap;

use bollard::query_parameters::{CreateImageOptions, ListImagesOptions, RemoveImageOptions, TagImageOptions};
use bollard::Docker;
use futures::StreamExt;
use tokio::sync::mpsc;

use super::{check_image_ref, image_deployments, send_line, DockerError, LABEL_APP, LABEL_MANAGED};

/// An image carrying `ployer.managed=true`.
#[derive(Debug, Clone)]
pub struct ManagedImage {
    pub id: String,
    /// `repo:tag` names; untagged images have none.
    pub tags: Vec<String>,
    pub app_id: Option<String>,
    /// The deployments it was built or tagged for ([`super::image_deployments`]).
    pub deployment_ids: Vec<String>,
}

/// Whether `reference` (a `name:tag` or an id) names a local image.
#[tracing::instrument(skip_all, fields(image = %reference))]
pub async fn image_exists(docker: &Docker, reference: &str) -> Result<bool, DockerError> {
    check_image_ref(reference)?;
    match docker.inspect_image(reference).await.map_err(DockerError::from) {
        Ok(_) => Ok(true),
        Err(DockerError::NotFound(_)) => Ok(false),
        Err(err) => Err(err),
    }
}

/// Pulls `reference` when it is not present (progress lines to `log`); Ok when already present.
/// A reference without a tag means `:latest` (the engine would otherwise pull every tag).
#[tracing::instrument(skip_all, fields(image = %reference))]
pub async fn ensure_image(docker: &Docker, reference: &str, log: mpsc::Sender<String>) -> Result<(), DockerError> {
    if image_exists(docker, reference).await? {
        return Ok(());
    }
    send_line(&log, format!("pulling {reference}")).await;
    pull(docker, reference, Some(&log)).await
}

/// Pulls `reference` from its registry, present or not (a tag may have moved on). A
/// reference without a tag means `:latest`. The error carries the engine's reason.
#[tracing::instrument(skip_all, fields(image = %reference))]
pub async fn pull_image(docker: &Docker, reference: &str) -> Result<(), DockerError> {
    pull(docker, reference, None).await
}

async fn pull(docker: &Docker, reference: &str, log: Option<&mpsc::Sender<String>>) -> Result<(), DockerError> {
    check_image_ref(reference)?;
    let (from_image, tag) = split_reference(reference);
    let options = CreateImageOptions {
        from_image: Some(from_image.to_string()),
        tag: tag.map(str::to_string),
        ..Default::default()
    };
    let mut stream = docker.create_image(Some(options), None, None);
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => {
                let Some(log) = log else { continue };
                let Some(status) = info.status else { continue };
                if info.progress_detail.and_then(|p| p.current).is_some() {
                    continue;
                }
                let line = match info.id {
                    Some(id) if !id.is_empty() => format!("{id}: {status}"),
                    _ => status,
                };
                send_line(log, line).await;
            }
            Err(err) => {
                let err = match DockerError::from(err) {
                    DockerError::Unavailable(m) => DockerError::Unavailable(m),
                    DockerError::NotFound(m) => DockerError::NotFound(format!("image {reference}: {m}")),
                    DockerError::Build(m) | DockerError::Conflict(m) | DockerError::Other(m) => {
                        DockerError::Other(format!("pulling {reference} failed: {m}"))
                    }
                };
                if let Some(log) = log {
                    send_line(log, format!("error: {err}")).await;
                }
                return Err(err);
            }
        }
    }
    if image_exists(docker, reference).await? {
        Ok(())
    } else {
        Err(DockerError::Other(format!(
            "pulling {reference} ended without the image being present"
        )))
    }
}

/// Gives the image `source` (reference or id) the additional name `tag` (`repo:tag`).
#[tracing::instrument(skip_all, fields(source = %source, tag = %tag))]
pub async fn tag_image(docker: &Docker, source: &str, tag: &str) -> Result<(), DockerError> {
    check_image_ref(source)?;
    check_image_ref(tag)?;
    let (repo, tag_part) = split_reference(tag);
    if tag.contains('@') {
        return Err(DockerError::Other(format!("cannot tag with a digest reference: {tag}")));
    }
    let options = TagImageOptions {
        repo: Some(repo.to_string()),
        tag: tag_part.map(str::to_string),
    };
    docker.tag_image(source, Some(options)).await?;
    Ok(())
}

/// Removes a tag (or an image by id); Ok when it is already absent. Never forced: an image a
/// container still uses is refused by the engine, and an id with several tags must be untagged
/// one tag at a time.
#[tracing::instrument(skip_all, fields(image = %reference))]
pub async fn remove_image(docker: &Docker, reference: &str) -> Result<(), DockerError> {
    check_image_ref(reference)?;
    let options = RemoveImageOptions {
        force: false,
        noprune: false,
        ..Default::default()
    };
    match docker
        .remove_image(reference, Some(options), None)
        .await
        .map_err(DockerError::from)
    {
        Ok(_) | Err(DockerError::NotFound(_)) => Ok(()),
        Err(err) => Err(err),
    }
}

/// Images labelled `ployer.managed=true` (and `ployer.app=<app_id>` when given).
#[tracing::instrument(skip_all, fields(app_id = ?app_id))]
pub async fn managed_images(docker: &Docker, app_id: Option<&str>) -> Result<Vec<ManagedImage>, DockerError> {
    let options = ListImagesOptions {
        all: false,
        filters: Some(label_filters(app_id)),
        ..Default::default()
    };
    let images = docker.list_images(Some(options)).await?;
    Ok(images
        .into_iter()
        .map(|image| {
            let tags: Vec<String> = image.repo_tags.into_iter().filter(|t| t != "<none>:<none>").collect();
            ManagedImage {
                deployment_ids: image_deployments(&image.labels, &tags),
                app_id: image.labels.get(LABEL_APP).cloned(),
                id: image.id,
                tags,
            }
        })
        .collect())
}

/// The `label` filter selecting Ployer's objects, of one application when given.
pub(super) fn label_filters(app_id: Option<&str>) -> HashMap<String, Vec<String>> {
    let mut labels = vec![format!("{LABEL_MANAGED}=true")];
    if let Some(app_id) = app_id {
        labels.push(format!("{LABEL_APP}={app_id}"));
    }
    HashMap::from([("label".to_string(), labels)])
}

/// `name[:tag]` or `name@digest` into the name and the tag to ask for (`latest` when none;
/// none for a digest). A `:` before the last `/` is a registry port, not a tag.
fn split_reference(reference: &str) -> (&str, Option<&str>) {
    if reference.contains('@') {
        return (reference, None);
    }
    let last_slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[last_slash..].rfind(':') {
        Some(colon) => {
            let at = last_slash + colon;
            (&reference[..at], Some(&reference[at + 1..]))
        }
        None => (reference, Some("latest")),
    }
}

/// `name` → `name:latest`; references with a tag or digest stay as they are.
pub fn with_tag(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    if reference.contains('@') || last.contains(':') {
        reference.to_string()
    } else {
        format!("{reference}:latest")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_without_a_tag_mean_latest() {
        assert_eq!(with_tag("busybox"), "busybox:latest");
        assert_eq!(with_tag("localhost:5000/app"), "localhost:5000/app:latest");
        assert_eq!(with_tag("ployer/app:abc"), "ployer/app:abc");
        assert_eq!(with_tag("app@sha256:00"), "app@sha256:00");
    }

    #[test]
    fn references_split_into_name_and_tag() {
        assert_eq!(split_reference("busybox"), ("busybox", Some("latest")));
        assert_eq!(split_reference("busybox:1.36"), ("busybox", Some("1.36")));
        assert_eq!(
            split_reference("localhost:5000/app"),
            ("localhost:5000/app", Some("latest"))
        );
        assert_eq!(
            split_reference("localhost:5000/app:v2"),
            ("localhost:5000/app", Some("v2"))
        );
        assert_eq!(split_reference("app@sha256:abc"), ("app@sha256:abc", None));
    }

    #[test]
    fn the_label_filter_selects_managed_objects_of_one_app() {
        assert_eq!(label_filters(None)["label"], vec!["ployer.managed=true"]);
        assert_eq!(
            label_filters(Some("a1"))["label"],
            vec!["ployer.managed=true", "ployer.app=a1"]
        );
    }
}
