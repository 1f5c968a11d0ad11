from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from adminapi import agents, documents, handoffs, knowledge_sources, policies, views

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="api-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api-schema", authentication_classes=[], permission_classes=[]), name="api-docs"),
    path("health", views.HealthView.as_view(), name="api-health"),
    path("me", views.MeView.as_view(), name="api-me"),
    path("conversations", views.ConversationListView.as_view(), name="api-conversations"),
    path("conversations/<uuid:conversation_id>/messages", views.ConversationMessagesView.as_view(), name="api-conversation-messages"),
    path("document-sets", views.DocumentSetListView.as_view(), name="api-document-sets"),
    path("indexing/runs", views.IndexingRunListView.as_view(), name="api-indexing-runs"),
    path("handoffs", handoffs.HandoffListView.as_view(), name="api-handoffs"),
    path("conversations/<uuid:conversation_id>/take-over", handoffs.TakeOverView.as_view(), name="api-handoff-take-over"),
    path("conversations/<uuid:conversation_id>/reply", handoffs.ReplyView.as_view(), name="api-handoff-reply"),
    path("conversations/<uuid:conversation_id>/hand-back", handoffs.HandBackView.as_view(), name="api-handoff-hand-back"),
    path("agents", agents.AgentListView.as_view(), name="api-agents"),
    path("agents/<uuid:agent_id>", agents.AgentDetailView.as_view(), name="api-agent"),
    path("documents", documents.DocumentListView.as_view(), name="api-documents"),
    path("documents/<uuid:document_id>", documents.DocumentDetailView.as_view(), name="api-document"),
    path("knowledge-sources", knowledge_sources.KnowledgeSourceListView.as_view(), name="api-knowledge-sources"),
    path("knowledge-sources/<uuid:source_id>", knowledge_sources.KnowledgeSourceDetailView.as_view(), name="api-knowledge-source"),
    path("knowledge-sources/<uuid:source_id>/sync", knowledge_sources.KnowledgeSourceSyncView.as_view(), name="api-knowledge-source-sync"),
    path("knowledge-sources/<uuid:source_id>/runs", knowledge_sources.KnowledgeSourceRunsView.as_view(), name="api-knowledge-source-runs"),
    path("embed-policies", policies.PolicyListView.as_view(), name="api-embed-policies"),
    path("embed-policies/<uuid:agent_id>", policies.PolicyDetailView.as_view(), name="api-embed-policy"),
]
