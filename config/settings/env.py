"""The one typed reader of the environment: every setting that comes from outside is read here."""

from pathlib import Path

from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = Env()
# A local .env file is convenient in development; the environment always wins over it.
env.read_env(BASE_DIR / ".env", recurse=False, override=False)
