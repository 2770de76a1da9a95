from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site
        from wagtail.signals import post_page_move

        from .sites import forget_cached_sites, forget_sites_after_page_save

        # A changed or deleted site (deleting its root page deletes it too) must route at once.
        post_save.connect(forget_cached_sites, sender=Site, dispatch_uid="home.forget_cached_sites.save")
        post_delete.connect(forget_cached_sites, sender=Site, dispatch_uid="home.forget_cached_sites.delete")
        # The cached home page routes by its path and URL: any page change drops it (a cache delete,
        # no query; pages are saved by editors, rarely against the reads).
        post_save.connect(forget_sites_after_page_save, dispatch_uid="home.forget_cached_sites.page_save")
        post_page_move.connect(forget_cached_sites, dispatch_uid="home.forget_cached_sites.page_move")
