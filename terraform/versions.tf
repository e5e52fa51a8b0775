terraform {
  required_version = ">= 1.11" # write-only arguments keep the Qdrant key out of state
  required_providers {
    google = { source = "hashicorp/google", version = "~> 6.50" }
  }
  # Remote state, one bucket per environment, given at init (partial configuration):
  #   terraform init -backend-config="bucket=P-tfstate" -backend-config="prefix=adgenius/prod"
  # `python -m adgenius.deploy` does this for you (and creates the bucket on first use).
  backend "gcs" {}
}

provider "google" {
  project               = var.project
  region                = var.region
  user_project_override = true # Identity Platform and Firebase APIs bill the project itself
  billing_project       = var.project
  default_labels = {
    app = "adgenius"
    env = var.env
  }
}
