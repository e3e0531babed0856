import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, streamfield


def png(size=(120, 40), colour="navy"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(title="Logo", size=(120, 40), **extra):
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(png(size)), name=f"{title.lower()}.png"), **extra
    )


def default_site():
    return Site.objects.get(is_default_site=True)


def form(**values):
    data = {
        "base_theme": "meent",
        "primary_colour": "",
        "secondary_colour": "",
        "font": "",
        "logo": "",
        "logo_alt_text": "",
        "favicon": "",
        "header_links": streamfield([]),
        "footer_links": streamfield([]),
        "token_package": "",
    }
    data.update(values)
    return nested_form_data(data)


def edit_url():
    return f"/admin/settings/themes/themesettings/{default_site().pk}/"


def save_settings(**values):
    """Change the default site's theme settings, validated as the admin validates them."""
    from themes.models import ThemeSettings

    instance = ThemeSettings.for_site(default_site())
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def theme_settings(**values):
    """Unsaved theme settings of the default site, for ``full_clean``."""
    from themes.models import ThemeSettings

    return ThemeSettings(site=default_site(), **values)


def errors_of(instance):
    """The validation errors per field of ``instance``; it must have some."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict
