from django.urls import path

from secondround.web import account, users, views

urlpatterns = [
    path("", views.home, name="home"),
    path("positions/<int:pk>/", views.position_detail, name="position"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("account/", account.own_account, name="account"),
    path("account/tokens/", views.api_tokens, name="api-tokens"),
    path("users/", users.user_list, name="users"),
    path("users/<int:pk>/", users.user_edit, name="user-edit"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", users.user_reactivate, name="user-reactivate"),
    path("users/<int:pk>/reinvite/", users.user_reinvite, name="user-reinvite"),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        users.AcceptInvitationView.as_view(),
        name="invitation",
    ),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
