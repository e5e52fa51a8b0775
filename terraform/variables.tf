variable "project" {
  type        = string
  description = "Google Cloud project id (one project per environment)"
}

variable "env" {
  type        = string
  description = "Environment: dev or prod (sizes, retention and alerting differ)"
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod."
  }
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

variable "web_dir" {
  type        = string
  default     = "../web/dist"
  description = "The built web app; hosting is deployed from it with firebase-tools"
}

variable "qdrant_url" {
  type        = string
  description = "Qdrant Cloud or self-hosted Qdrant URL (the embedded store is local-only)"
}

variable "qdrant_api_key" {
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
  description = "Written to Secret Manager as a write-only value: never stored in state or plan. Pass as TF_VAR_qdrant_api_key; leave unset to keep the current version."
}

variable "qdrant_api_key_version" {
  type        = number
  default     = 1
  description = "Bump to write a new qdrant_api_key (write-only values are sent only when this changes)"
}

variable "alert_email" {
  type        = string
  default     = ""
  description = "Where alerts go (an email notification channel); empty: alerts only show in the console"
}

variable "monthly_budget" {
  type        = number
  default     = 0
  description = "Monthly spend alert in the billing account's currency; 0 disables the budget"
}

variable "billing_account" {
  type        = string
  default     = ""
  description = "Billing account id, needed only for the spend budget"
}
