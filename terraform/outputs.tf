output "api_url" {
  value = google_cloudfunctions2_function.fn["api"].service_config[0].uri
}

output "media_bucket" {
  value = google_storage_bucket.media.name
}
