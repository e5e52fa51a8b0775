"""Asynchronous generation jobs: Firestore trigger -> Pub/Sub planning -> Cloud Tasks per item ->
completion -> (video) Pub/Sub assembly -> terminal state, with progress in Firestore.
"""
