from django.urls import path

from adminapi import views

urlpatterns = [
    path("health", views.HealthView.as_view(), name="api-health"),
    path("me", views.MeView.as_view(), name="api-me"),
    path("conversations", views.ConversationListView.as_view(), name="api-conversations"),
    path("conversations/<uuid:conversation_id>/messages", views.ConversationMessagesView.as_view(), name="api-conversation-messages"),
    path("document-sets", views.DocumentSetListView.as_view(), name="api-document-sets"),
    path("indexing/runs", views.IndexingRunListView.as_view(), name="api-indexing-runs"),
]
