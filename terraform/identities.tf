# One runtime identity per role of function (manifest service_accounts), granted only what that
# role touches: project roles that have no finer scope (Firestore, Vertex AI, logging), publisher
# on its own topics, enqueuer on its own queues, object user on the media bucket, accessor on the
# secrets its functions mount. A separate invoker identity is the only caller of private functions.
resource "google_service_account" "fn" {
  for_each     = local.service_accounts
  account_id   = "adgenius-${each.key}"
  display_name = "AdGenius ${each.key}: ${each.value.description}"
  depends_on   = [google_project_service.api]
}

resource "google_service_account" "invoker" {
  account_id   = "adgenius-invoker"
  display_name = "Pub/Sub push, Cloud Tasks, Scheduler and Eventarc calls into AdGenius functions"
  depends_on   = [google_project_service.api]
}

# Builds of the functions run as their own identity: new projects no longer give the default
# compute account the Editor role that builds used to rely on.
resource "google_service_account" "builder" {
  account_id   = "adgenius-builder"
  display_name = "Cloud Build of the AdGenius functions"
  depends_on   = [google_project_service.api]
}

resource "google_project_iam_member" "builder" {
  #checkov:skip=CKV_GCP_49:roles/cloudbuild.builds.builder is the role Google documents for a custom Cloud Functions build account; it is held by the build identity only, no runtime
  for_each = toset([
    "roles/cloudbuild.builds.builder", "roles/logging.logWriter", "roles/artifactregistry.writer",
  ])
  project = var.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_storage_bucket_iam_member" "builder_reads_sources" {
  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_project_iam_member" "fn" {
  for_each = local.sa_project_grants
  project  = var.project
  role     = each.value.role
  member   = "serviceAccount:${google_service_account.fn[each.value.sa].email}"
}

# Every function exports its spans to Cloud Trace (adgenius.tracing, `cloud` mode).
resource "google_project_iam_member" "trace_agent" {
  for_each = local.service_accounts
  project  = var.project
  role     = "roles/cloudtrace.agent"
  member   = "serviceAccount:${google_service_account.fn[each.key].email}"
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.sa_topic_grants
  topic    = google_pubsub_topic.topic[each.value.topic].id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.fn[each.value.sa].email}"
}

resource "google_cloud_tasks_queue_iam_member" "enqueuer" {
  for_each = local.sa_queue_grants
  location = var.region
  name     = google_cloud_tasks_queue.queue[each.value.queue].name
  role     = "roles/cloudtasks.enqueuer"
  member   = "serviceAccount:${google_service_account.fn[each.value.sa].email}"
}

resource "google_storage_bucket_iam_member" "media" {
  for_each = { for k, a in local.service_accounts : k => a if a.bucket_role != null }
  bucket   = google_storage_bucket.media.name
  role     = each.value.bucket_role
  member   = "serviceAccount:${google_service_account.fn[each.key].email}"
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each  = local.sa_secret_grants
  secret_id = google_secret_manager_secret.secret[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.fn[each.value.sa].email}"
}

# Creating a Cloud Task whose OIDC token is the invoker's needs actAs on the invoker.
resource "google_service_account_iam_member" "acts_as_invoker" {
  for_each           = { for k, a in local.service_accounts : k => a if a.acts_as_invoker }
  service_account_id = google_service_account.invoker.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.fn[each.key].email}"
}

# Signed media URLs: the function signs with its own identity (IAM signBlob on itself only).
resource "google_service_account_iam_member" "signs_urls" {
  for_each           = { for k, a in local.service_accounts : k => a if a.signs_urls }
  service_account_id = google_service_account.fn[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.fn[each.key].email}"
}

resource "google_pubsub_subscription_iam_member" "dead_letter_reader" {
  for_each     = local.dead_letter_readers
  subscription = google_pubsub_subscription.dead_letter_inspect[each.value.topic].name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:${google_service_account.fn[each.value.sa].email}"
}

# Pub/Sub mints the push subscriptions' OIDC tokens as the invoker.
resource "google_service_account_iam_member" "pubsub_mints_invoker_tokens" {
  service_account_id = google_service_account.invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

# Eventarc (Firestore triggers) delivers as the invoker and needs to receive events.
resource "google_project_iam_member" "invoker_event_receiver" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.invoker.email}"
}
