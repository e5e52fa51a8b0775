# Firebase on the project (google-beta: these resources are not in the GA provider), Firebase
# Auth through Identity Platform (email/password, as the web app signs in), the web app whose
# config the deploy writes to web/dist/app-config.json from `terraform output`, and the Hosting
# site that serves it with /v1/** rewritten to the api function (firebase.json).
provider "google-beta" {
  project               = var.project
  region                = var.region
  user_project_override = true
  billing_project       = var.project
  default_labels = {
    app = "adgenius"
    env = var.env
  }
}

resource "google_firebase_project" "this" {
  provider   = google-beta
  project    = var.project
  depends_on = [google_project_service.api]
}

resource "google_identity_platform_config" "auth" {
  project                    = var.project
  autodelete_anonymous_users = true
  sign_in {
    allow_duplicate_emails = false
    email {
      enabled           = true
      password_required = true
    }
  }
  authorized_domains = [
    "localhost",
    "${var.project}.firebaseapp.com",
    "${var.project}.web.app",
  ]
  depends_on = [google_firebase_project.this]
}

resource "google_firebase_web_app" "web" {
  provider        = google-beta
  project         = var.project
  display_name    = "AdGenius (${var.env})"
  deletion_policy = "DELETE"
  depends_on      = [google_firebase_project.this]
}

data "google_firebase_web_app_config" "web" {
  provider   = google-beta
  project    = var.project
  web_app_id = google_firebase_web_app.web.app_id
}

resource "google_firebase_hosting_site" "web" {
  provider = google-beta
  project  = var.project
  site_id  = var.project
  app_id   = google_firebase_web_app.web.app_id
}
