# Sourced by the scripts: exports JAVA_HOME pointing at a JDK >= 25, or exits with a clear message.
# Order: an existing JAVA_HOME that is new enough, then every JDK under /usr/lib/jvm, newest first.
bpfstore_java_feature() { # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  # The JDK's release file answers without starting a JVM (which would cost every bpfstore command ~0.2 s).
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -1
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -1
  fi
}
bpfstore_find_jdk() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    v=$(bpfstore_java_feature "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! BPFSTORE_JDK=$(bpfstore_find_jdk); then
  echo "bpfstore: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "bpfstore: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$BPFSTORE_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
