import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site


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
