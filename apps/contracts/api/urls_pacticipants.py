"""Routes of pacticipants, versions, branches, tags and labels.

Branch and tag names may contain "/" (git branches like "feature/x"): clients send it as %2F, which
the WSGI server decodes before routing, so those segments accept "/" and the fixed suffix after
them disambiguates. Paths other apps own under the same prefixes (can-i-deploy and its badges) are
excluded by a lookahead so they still reach their views.
"""

from django.urls import path, re_path

from apps.contracts.api import branches, labels, pacticipants, tags, versions

P = r"(?P<pacticipant_name>[^/]+)"
V = r"(?P<version_number>[^/]+)"
BRANCH = r"(?P<branch_name>(?!.*/latest-version/can-i-deploy).+?)"
TAG = r"(?P<tag_name>(?!.*/can-i-deploy).+?)"

urlpatterns = [
    path("pacticipants", pacticipants.PacticipantsView.as_view()),
    path("labels", labels.LabelsView.as_view()),
    re_path(r"^pacticipants/label/(?P<label_name>[^/]+)$", pacticipants.PacticipantsForLabelView.as_view()),
    re_path(rf"^pacticipants/{P}$", pacticipants.PacticipantView.as_view()),
    re_path(rf"^pacticipants/{P}/labels/(?P<label_name>[^/]+)$", labels.LabelView.as_view()),
    re_path(rf"^pacticipants/{P}/versions$", versions.VersionsView.as_view()),
    re_path(rf"^pacticipants/{P}/versions/{V}$", versions.VersionView.as_view()),
    re_path(rf"^pacticipants/{P}/versions/{V}/tags/{TAG}$", tags.TagView.as_view()),
    re_path(rf"^pacticipants/{P}/latest-version$", versions.LatestVersionView.as_view()),
    re_path(rf"^pacticipants/{P}/latest-version/{TAG}$", versions.LatestVersionView.as_view()),
    re_path(rf"^pacticipants/{P}/tags/{TAG}/versions$", tags.TagVersionsView.as_view()),
    re_path(rf"^pacticipants/{P}/branches$", branches.BranchesView.as_view()),
    re_path(rf"^pacticipants/{P}/branches/{BRANCH}/versions/{V}$", branches.BranchVersionView.as_view()),
    re_path(rf"^pacticipants/{P}/branches/{BRANCH}/versions$", branches.BranchVersionsView.as_view()),
    re_path(rf"^pacticipants/{P}/branches/{BRANCH}/latest-version$", branches.BranchLatestVersionView.as_view()),
    re_path(rf"^pacticipants/{P}/branches/{BRANCH}$", branches.BranchView.as_view()),
]
