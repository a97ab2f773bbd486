from django.urls import path

from sessions_backend import views

urlpatterns = [
    path("", views.session_list, name="session-list"),
    path("<str:entry_id>/sign-out/", views.sign_out_session, name="session-sign-out"),
    path("sign-out-others/", views.sign_out_other_sessions, name="session-sign-out-others"),
]
