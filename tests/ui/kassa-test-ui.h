/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-application.h"

G_BEGIN_DECLS

/* Initializes GTK and libadwaita for a widget test. Returns FALSE when no
 * display can be opened: main() then registers every test as skipped. */
gboolean          kassa_test_ui_init              (int           *argc,
                                                   char        ***argv);
void              kassa_test_ui_skip_no_display   (void);

/* A new reference to the test program's registered, non-unique
 * application, whose startup has run as the windows expect. */
KassaApplication *kassa_test_ui_application_new   (void);

/* Runs the main context until @condition holds or a few seconds pass. */
gboolean          kassa_test_ui_wait_for          (gboolean     (*condition) (gpointer data),
                                                   gpointer       data);
void              kassa_test_ui_spin              (guint          milliseconds);

/* Sends a real key press and release through the X server (XTest), with
 * @modifiers held, to @window. FALSE when the display is not X11. */
gboolean          kassa_test_ui_send_key          (GtkWindow      *window,
                                                   guint           keyval,
                                                   GdkModifierType modifiers);

G_END_DECLS
