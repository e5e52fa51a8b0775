output "api_url" {
  value = google_cloudfunctions2_function.fn["api"].service_config[0].uri
}

output "functions_base_url" {
  value = local.functions_base_url
}

output "function_urls" {
  value = { for k, f in google_cloudfunctions2_function.fn : k => f.service_config[0].uri }
}

output "media_bucket" {
  value = google_storage_bucket.media.name
}

output "hosting_site" {
  value = google_firebase_hosting_site.web.site_id
}

output "hosting_url" {
  value = google_firebase_hosting_site.web.default_url
}

# What the web app needs at run time; `python -m adgenius.deploy` writes it to
# web/dist/app-config.json before the hosting deploy (it is public by nature: the Firebase web API
# key identifies the project, it grants nothing).
output "web_app_config" {
  value = {
    projectId  = var.project
    apiKey     = data.google_firebase_web_app_config.web.api_key
    authDomain = data.google_firebase_web_app_config.web.auth_domain
    appId      = google_firebase_web_app.web.app_id
    apiBaseUrl = google_firebase_hosting_site.web.default_url # /v1/** is rewritten to the api
  }
}

output "service_accounts" {
  value = { for k, a in google_service_account.fn : k => a.email }
}
