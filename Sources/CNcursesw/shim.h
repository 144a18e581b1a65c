#ifndef PAKN_NCURSES_SHIM_H
#define PAKN_NCURSES_SHIM_H
// Wide-character API (add_wch, get_wch, setcchar) needs this before curses.h.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#endif
