# make install — a self-contained pakn (README.md, "Install"):
#   make install                           # into /usr/local
#   make install PREFIX=$HOME/.local       # into one's home
#   make install DESTDIR=/tmp/pkg          # staged, for a package (files under /tmp/pkg/usr/local)
#   make uninstall                         # the same PREFIX/DESTDIR
# The binary is a release build with the Swift runtime and Foundation linked in
# (--static-swift-stdlib) and the shipped data inside it (mk/embed-resources.sh); it needs
# only the system's libc, libstdc++, libsqlite3, libncursesw and zlib. Installed beside it: the man page
# (Vietnamese in man1, English in en/man1), completions for bash, zsh and fish, and the
# themes in share/pakn/themes.
#   make install-check                     # the release install in a temporary PREFIX, run
#                                          # from another folder with PATH=/usr/bin:/bin only,
#                                          # and as root in a chroot of just it and its libraries
#   make resources / make themes           # regenerate the embedded copies after editing
#                                          # Sources/PaknStore/Resources or themes/
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR      = $(DESTDIR)$(PREFIX)/bin
MANDIR      = $(DESTDIR)$(PREFIX)/share/man
SHAREDIR    = $(DESTDIR)$(PREFIX)/share
RELEASE_BIN = .build/release/pakn
# The binary `install-files` installs (the tests give a debug build: InstallCLITests).
PAKN_BIN   ?= $(RELEASE_BIN)
INSTALL    ?= install

.PHONY: install install-files uninstall release buildinfo resources themes install-check

# `make build` and `make release` stamp the build with the checkout's commit (pakn --version).
build: buildinfo

buildinfo:
	@sh mk/buildinfo.sh

resources:
	sh mk/embed-resources.sh

themes:
	sh mk/embed-themes.sh

release: deps buildinfo
	$(SWIFT) build -c release --static-swift-stdlib

install: release
	$(MAKE) --no-print-directory install-files PAKN_BIN=$(RELEASE_BIN)

# Installs PAKN_BIN and what is generated from it; builds nothing.
install-files:
	@test -x "$(PAKN_BIN)" || { echo "install: no $(PAKN_BIN) (run make release)" >&2; exit 1; }
	$(INSTALL) -d "$(BINDIR)" "$(MANDIR)/man1" "$(MANDIR)/en/man1" "$(SHAREDIR)/pakn/themes" \
	  "$(SHAREDIR)/bash-completion/completions" "$(SHAREDIR)/zsh/site-functions" "$(SHAREDIR)/fish/vendor_completions.d"
	$(INSTALL) -m 0755 "$(PAKN_BIN)" "$(BINDIR)/pakn"
	"$(PAKN_BIN)" manual --lang vi > "$(MANDIR)/man1/pakn.1"
	"$(PAKN_BIN)" manual --lang en > "$(MANDIR)/en/man1/pakn.1"
	"$(PAKN_BIN)" --generate-completion-script bash > "$(SHAREDIR)/bash-completion/completions/pakn"
	"$(PAKN_BIN)" --generate-completion-script zsh > "$(SHAREDIR)/zsh/site-functions/_pakn"
	"$(PAKN_BIN)" --generate-completion-script fish > "$(SHAREDIR)/fish/vendor_completions.d/pakn.fish"
	chmod 0644 "$(MANDIR)/man1/pakn.1" "$(MANDIR)/en/man1/pakn.1" "$(SHAREDIR)/bash-completion/completions/pakn" \
	  "$(SHAREDIR)/zsh/site-functions/_pakn" "$(SHAREDIR)/fish/vendor_completions.d/pakn.fish"
	$(INSTALL) -m 0644 themes/*.toml "$(SHAREDIR)/pakn/themes/"
	@echo "installed pakn in $(BINDIR)"

uninstall:
	rm -f "$(BINDIR)/pakn" "$(MANDIR)/man1/pakn.1" "$(MANDIR)/en/man1/pakn.1" \
	  "$(SHAREDIR)/bash-completion/completions/pakn" "$(SHAREDIR)/zsh/site-functions/_pakn" \
	  "$(SHAREDIR)/fish/vendor_completions.d/pakn.fish"
	rm -rf "$(SHAREDIR)/pakn/themes"
	-rmdir "$(SHAREDIR)/pakn" 2>/dev/null

# The real thing, end to end: a release install into a temporary PREFIX, then the installed
# binary run from an empty folder with nothing but PATH=/usr/bin:/bin in its environment.
install-check: release
	sh mk/install-check.sh "$(RELEASE_BIN)"
