resource "google_storage_bucket" "media" {
  name                        = "${var.project}-adgenius-media"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !local.prod
  versioning {
    enabled = local.prod # a deleted or overwritten creative can be restored in prod
  }
  lifecycle_rule {
    condition {
      num_newer_versions = 3
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }
  depends_on = [google_project_service.api]
}

resource "google_storage_bucket" "sources" {
  name                        = "${var.project}-adgenius-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true # only build inputs: every zip is re-uploaded by a deploy
  versioning {
    enabled = true
  }
  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }
  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }
  depends_on = [google_project_service.api]
}

resource "google_storage_bucket" "access_logs" {
  #checkov:skip=CKV_GCP_62:this is the access-log bucket itself; logging it into itself would loop
  name                        = "${var.project}-adgenius-access-logs"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !local.prod
  versioning {
    enabled = true
  }
  lifecycle_rule {
    condition {
      age = local.prod ? 365 : 30
    }
    action {
      type = "Delete"
    }
  }
  depends_on = [google_project_service.api]
}

resource "google_storage_bucket_object" "source" {
  for_each = local.functions
  name     = "functions/${each.key}-${filemd5("${var.bundle_dir}/${each.key}.zip")}.zip"
  bucket   = google_storage_bucket.sources.name
  source   = "${var.bundle_dir}/${each.key}.zip"
}
