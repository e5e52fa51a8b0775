# AdGenius on Google Cloud, stood up in an empty project. Everything that exists per function,
# topic, queue, trigger, schedule, service account or secret is read from manifest.json, rendered
# from shared/adgenius/manifest.py (`python -m adgenius.deploy manifest`; a unit test fails when the
# two disagree), the same declaration the local stack provisions itself from.
#
#   nox -s deploy -- --project P --env prod          # bundles, web app, apply, rules, hosting, check
#   nox -s deploy -- --project P --env prod --plan   # what would change
#
# Pub/Sub delivery: explicit push subscriptions with OIDC, not Eventarc. Eventarc's Pub/Sub
# triggers create their own subscription, which carries no dead-letter policy and whose retry is
# "retry for 24 h"; the local stack (adgenius.localstack.provision) creates exactly the
# subscriptions below - same name, push endpoint per function, ack deadline, exponential backoff,
# dead-letter topic after max_delivery_attempts - so a poison message behaves the same in both.
# Firestore triggers are Eventarc (the only source of Firestore events); their handlers are
# idempotent and retried (RETRY_POLICY_RETRY), like the emulator's redelivery.

locals {
  manifest         = jsondecode(file("${path.module}/manifest.json"))
  functions        = { for f in local.manifest.functions : f.name => f }
  topics           = { for t in local.manifest.topics : t.name => t }
  queues           = { for q in local.manifest.queues : q.name => q }
  schedules        = { for s in local.manifest.schedules : s.name => s }
  service_accounts = { for a in local.manifest.service_accounts : a.name => a }
  secrets          = { for s in local.manifest.secrets : s.name => s }

  public_functions   = { for k, f in local.functions : k => f if f.kind == "http" && k == "api" }
  dead_letter_topics = { for k, t in local.topics : k => t if t.dead_letter_topic != null }

  # One push subscription per (topic, subscribing function): name, backoff and dead-letter policy
  # come from the manifest, which the local stack provisions from too.
  push_subscriptions = { for s in local.manifest.push_subscriptions : s.name => s }

  # Flattened grants: (service account, topic) and (service account, queue) and (account, role).
  sa_topic_grants = merge([
    for a in local.manifest.service_accounts : { for t in a.publishes : "${a.name}/${t}" => { sa = a.name, topic = t } }
  ]...)
  sa_queue_grants = merge([
    for a in local.manifest.service_accounts : { for q in a.enqueues : "${a.name}/${q}" => { sa = a.name, queue = q } }
  ]...)
  sa_project_grants = merge([
    for a in local.manifest.service_accounts : { for r in a.project_roles : "${a.name}/${r}" => { sa = a.name, role = r } }
  ]...)
  sa_secret_grants = merge([
    for k, f in local.functions : { for s in f.secrets : "${f.service_account}/${s}" => { sa = f.service_account, secret = s } }
  ]...)
  dead_letter_readers = merge([
    for a in local.manifest.service_accounts : {
      for k, t in local.dead_letter_topics : "${a.name}/${k}" => { sa = a.name, topic = k } if a.reads_dead_letters
    }
  ]...)

  # Cloud Tasks target `<base>/<deployed name>` (adgenius.cloud.tasks.handler_url).
  functions_base_url = "https://${var.region}-${var.project}.cloudfunctions.net"
  common_env = {
    ADGENIUS_MODE                    = "gcp"
    ADGENIUS_ENV                     = var.env
    ADGENIUS_PROJECT_ID              = var.project
    ADGENIUS_REGION                  = var.region
    ADGENIUS_BUCKET                  = google_storage_bucket.media.name
    ADGENIUS_TASKS_LOCATION          = var.region
    ADGENIUS_FUNCTIONS_BASE_URL      = local.functions_base_url
    ADGENIUS_INVOKER_SERVICE_ACCOUNT = google_service_account.invoker.email
    ADGENIUS_ENGINE                  = "vertex"
    ADGENIUS_VERTEX_LOCATION         = var.region
    QDRANT_URL                       = var.qdrant_url
  }
  prod = var.env == "prod"
}

data "google_project" "this" {}

locals {
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}
