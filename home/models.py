from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from certificates.selectors import valid_certificates_cache_key
from config.cache import read_ahead
from courses.blocks import CalloutBlock, HeadingBlock, RichTextBlock
from courses.models import CourseIndexPage, FlaggedViewRestrictions
from courses.selectors import VIEW_RESTRICTIONS_KEYS, live_lesson_by_url_path, outline_cache_key
from notifications.selectors import unread_cache_key


def lesson_page_cache_keys(*, lesson, user) -> list[str]:
    """What a lesson page reads from the cache once it is routed, read ahead in one round trip
    (config.cache.read_ahead) instead of one each: the privacy fact (Wagtail's privacy check),
    the course outline and, for a signed-in person, the header's unread count and their valid
    certificates (the completed-course card). Here, at the top of the order of imports, because
    those keys belong to apps that courses may not import. A key left out is simply read when used;
    none of these is an access decision (the privacy fact only says whether any restriction exists)."""
    keys = [*VIEW_RESTRICTIONS_KEYS, outline_cache_key(lesson.get_parent().pk)]
    if user.is_authenticated:
        keys += [unread_cache_key(user.pk), valid_certificates_cache_key(user.pk)]
    return keys


class HomePage(FlaggedViewRestrictions, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "home.InfoPage"]
    max_count = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        if not path_components:
            # This instance may be the cached one (home.sites): the home page itself is served fresh.
            fresh = HomePage.objects.filter(pk=self.pk).first()
            if fresh is None:
                raise Http404
            return super(HomePage, fresh).route(request, path_components)
        # Wagtail resolves a URL level by level, two queries a level. No page type below the home
        # page changes how its children are routed (tests/home/test_routing.py holds that), so the
        # live page at the URL's path is the one Wagtail would find: read it directly.
        from .selectors import live_page_by_url_path

        url_path = f"{self.url_path}{'/'.join(path_components)}/"
        if (
            len(path_components) == 3
        ):  # a lesson (home/catalogue/course/lesson), its course, the learner's progress: one query
            lesson = live_lesson_by_url_path(url_path=url_path, user=request.user)
            if lesson is not None:
                read_ahead(lesson_page_cache_keys(lesson=lesson, user=request.user))
                return RouteResult(lesson)
        page = live_page_by_url_path(url_path=url_path)
        if page is not None:
            if len(path_components) == 1:
                page._cached_parent_obj = self  # as Wagtail's routing leaves it
            return RouteResult(page)
        return super().route(request, path_components)  # no live page there: Wagtail's own answer

    def get_context(self, request, *args, **kwargs):
        from courses.facets import learner_course_facts
        from courses.selectors import learner_progress_rows, learner_resume_row

        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated:
            context["resume_row"] = learner_resume_row(user=request.user)
            context["recent_rows"] = list(learner_progress_rows(user=request.user)[:4])
            context["course_facts"] = learner_course_facts(
                user=request.user, courses=[row.course for row in context["recent_rows"]]
            )
        context["catalogue"] = CourseIndexPage.objects.live().child_of(self).first()
        return context


class InfoStreamBlock(blocks.StreamBlock):
    rich_text = RichTextBlock()
    heading = HeadingBlock()
    callout = CalloutBlock()


class InfoPage(FlaggedViewRestrictions, Page):
    """A plain information page (About, Help): no learning logic."""

    body = StreamField(InfoStreamBlock(), verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["home.HomePage", "home.InfoPage"]
    subpage_types = ["home.InfoPage"]
    template = "home/info_page.html"

    class Meta:
        verbose_name = _("information page")
