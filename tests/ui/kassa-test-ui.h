/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-application.h"
#include "kassa-shop.h"

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

/* A store in a new temporary folder; kassa_test_ui_remove_shop() closes
 * it and removes the folder. */
KassaShop        *kassa_test_ui_new_shop          (char          **dir);
void              kassa_test_ui_remove_shop       (KassaShop      *shop,
                                                   char           *dir);
/* Adds a staff member with a cheap PIN hash, as the system. */
gint64            kassa_test_ui_add_staff         (KassaShop      *shop,
                                                   const char     *name,
                                                   KassaStaffRole  role,
                                                   const char     *pin);

GtkWidget        *kassa_test_ui_find_descendant   (GtkWidget      *widget,
                                                   GType           type);
GtkWidget        *kassa_test_ui_find_named        (GtkWidget      *widget,
                                                   const char     *name);
/* Renders @widget as it is on screen into a PNG at @path. */
void              kassa_test_ui_save_png          (GtkWidget      *widget,
                                                   const char     *path);

/* The button labelled @label (mnemonic included), or NULL. */
GtkWidget        *kassa_test_ui_find_button       (GtkWidget      *widget,
                                                   const char     *label);
/* Chooses @name on @lock_screen and taps @pin and Enter on its PIN pad. */
void              kassa_test_ui_sign_in           (GtkWidget      *lock_screen,
                                                   const char     *name,
                                                   const char     *pin);
/* The lock screen's row for @name, or NULL. */
GtkWidget        *kassa_test_ui_find_staff_row    (GtkWidget      *lock_screen,
                                                   const char     *name);

G_END_DECLS
