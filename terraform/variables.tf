variable "project" {
  type        = string
  description = "Google Cloud project id"
}

variable "region" {
  type    = string
  default = "us-central1"
}

variable "firestore_location" {
  type        = string
  default     = "nam5"
  description = "Location of the (default) Firestore database, where its Eventarc triggers live"
}

variable "bundle_dir" {
  type        = string
  default     = "../build/functions"
  description = "Where `python -m adgenius.deploy bundle` wrote one zip per function"
}

variable "qdrant_url" {
  type        = string
  description = "Qdrant server or Qdrant Cloud URL (the embedded store is local-only); its API key goes to Secret Manager as QDRANT_API_KEY"
}
