"""The web interface: one blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every blueprint (imported here so start-up stays light)."""
    from app.web.about.views import bp as about_bp
    from app.web.admin.accounts import bp as admin_accounts_bp
    from app.web.admin.views import bp as admin_bp
    from app.web.auth.views import bp as auth_bp
    from app.web.availability.feed import bp as feed_bp
    from app.web.availability.views import bp as availability_bp
    from app.web.compensation.views import bp as compensation_bp
    from app.web.council.views import bp as council_bp
    from app.web.invitations.views import bp as invitations_bp
    from app.web.main.views import bp as main_bp
    from app.web.member.assignments import bp as my_assignments_bp
    from app.web.member.views import bp as member_bp
    from app.web.orders.views import bp as orders_bp
    from app.web.pool_admin.imports import bp as pool_import_bp
    from app.web.pool_admin.views import bp as pool_admin_bp
    from app.web.privacy.views import bp as privacy_bp
    from app.web.taxonomy.views import bp as taxonomy_bp
    from app.web.welcome.views import bp as welcome_bp

    for blueprint in (main_bp, auth_bp, council_bp, orders_bp, member_bp, admin_bp):
        app.register_blueprint(blueprint)
    # Pool self-service and pool administration (issue 4).
    for blueprint in (
        availability_bp,
        feed_bp,
        privacy_bp,
        pool_admin_bp,
        pool_import_bp,
        taxonomy_bp,
        welcome_bp,
        compensation_bp,  # issue 7
        invitations_bp,  # issue 5
        about_bp,  # issue 10: glossary and accessibility statement
        admin_accounts_bp,  # issue 21: the administrator edits and disables accounts
        my_assignments_bp,  # issue 19: the member's own assignments and "I can't come"
    ):
        app.register_blueprint(blueprint)
    # Insight for the council: pictures, their CSV, the target population (issue 8).
    from app.web.insight.views import bp as insight_bp

    app.register_blueprint(insight_bp)
    # The JSON API and the hardening pages (issue 9).
    from app.web.api import bp as api_bp
    from app.web.api_tokens.views import bp as api_tokens_bp
    from app.web.audit.views import bp as audit_bp
    from app.web.gdpr.views import bp as gdpr_bp

    for blueprint in (api_bp, api_tokens_bp, audit_bp, gdpr_bp):
        app.register_blueprint(blueprint)
    # Scheduled work: the council's job page, surveys and their results, reviews (issue 6).
    from app.web.feedback.views import bp as feedback_bp
    from app.web.jobs.views import bp as jobs_bp
    from app.web.reviews.views import bp as reviews_bp

    for blueprint in (feedback_bp, jobs_bp, reviews_bp):
        app.register_blueprint(blueprint)

    # Patient organisations, nominations and mandates (issue 20).
    from app.web.organisations.public import bp as organisation_links_bp
    from app.web.organisations.views import bp as organisations_bp

    app.register_blueprint(organisations_bp)
    app.register_blueprint(organisation_links_bp)

    # Joining the pool: the public application and the council's pipeline (issue 20).
    from app.web.recruitment.views import bp as recruitment_bp

    app.register_blueprint(recruitment_bp)
    # Introduction and training events, the pools' requirements (issue 20).
    from app.web.training.views import bp as training_bp

    app.register_blueprint(training_bp)
    # The assignment journey (issue 19): request material to download.
    from app.web.materials.views import bp as materials_bp

    app.register_blueprint(materials_bp)
