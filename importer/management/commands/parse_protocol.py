"""`manage.py parse_protocol FILE`: print what the parser reads from a protocol, as JSON."""

import json
import sys
from pathlib import Path

from django.core.management import BaseCommand

from importer.parse import parse_protocol, protocol_to_dict
from importer.records import ProtocolError


class Command(BaseCommand):
    help = "Parse one protocol file and print the result as UTF-8 JSON; on error print FILE:LINE: message."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        try:
            protocol = parse_protocol(Path(file).read_bytes())
        except ProtocolError as exc:
            self.stderr.write(f"{file}:{exc.line}: {exc.message}")
            raise SystemExit(1) from None
        except OSError as exc:
            self.stderr.write(f"{file}:0: {exc.strerror or exc}")
            raise SystemExit(1) from None
        out = json.dumps(protocol_to_dict(protocol), ensure_ascii=False, indent=2)
        sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
        sys.stdout.flush()
