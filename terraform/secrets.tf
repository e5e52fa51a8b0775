# Secrets of the manifest (QDRANT_API_KEY), mounted into exactly the functions that list them
# (service_config.secret_environment_variables) and readable only by their service accounts.
# The value is written with a write-only argument from an ephemeral variable, so it never reaches
# the state, the plan or the repository; `python -m adgenius.deploy` refuses to apply a required
# secret that has no version yet.
resource "google_secret_manager_secret" "secret" {
  for_each  = local.secrets
  secret_id = each.key
  labels    = { app = "adgenius", env = var.env }
  replication {
    auto {}
  }
  depends_on = [google_project_service.api]
}

# A new version is written when qdrant_api_key_version changes (write-only values are not
# compared); the first apply needs TF_VAR_qdrant_api_key, which the deploy command checks.
resource "google_secret_manager_secret_version" "qdrant_api_key" {
  secret                 = google_secret_manager_secret.secret["QDRANT_API_KEY"].id
  secret_data_wo         = var.qdrant_api_key
  secret_data_wo_version = var.qdrant_api_key_version
}
