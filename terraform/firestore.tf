# The (default) Firestore database in native mode, its composite indexes (from the same
# firestore.indexes.json the emulator and `firebase deploy` read) and the security rules, released.
resource "google_firestore_database" "default" {
  name                              = "(default)"
  location_id                       = var.firestore_location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "OPTIMISTIC"
  point_in_time_recovery_enablement = local.prod ? "POINT_IN_TIME_RECOVERY_ENABLED" : "POINT_IN_TIME_RECOVERY_DISABLED"
  delete_protection_state           = local.prod ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy                   = local.prod ? "ABANDON" : "DELETE"
  depends_on                        = [google_project_service.api]
}

locals {
  firestore_indexes = jsondecode(file("${path.module}/../firestore.indexes.json"))
  composite_indexes = {
    for i in local.firestore_indexes.indexes :
    "${i.collectionGroup}:${join(",", [for f in i.fields : "${f.fieldPath}:${try(f.order, f.arrayConfig)}"])}" => i
  }
}

resource "google_firestore_index" "composite" {
  for_each    = local.composite_indexes
  database    = google_firestore_database.default.name
  collection  = each.value.collectionGroup
  query_scope = try(each.value.queryScope, "COLLECTION")
  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.fieldPath
      order        = try(fields.value.order, null)
      array_config = try(fields.value.arrayConfig, null)
    }
  }
}

resource "google_firebaserules_ruleset" "firestore" {
  source {
    files {
      name    = "firestore.rules"
      content = file("${path.module}/../firestore.rules")
    }
  }
  depends_on = [google_firestore_database.default, google_firebase_project.this]
  lifecycle {
    create_before_destroy = true
  }
}

resource "google_firebaserules_release" "firestore" {
  name         = "cloud.firestore"
  ruleset_name = "projects/${var.project}/rulesets/${google_firebaserules_ruleset.firestore.name}"
  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.firestore]
  }
}
