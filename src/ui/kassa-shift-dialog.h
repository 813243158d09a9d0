/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-shop.h"

G_BEGIN_DECLS

/**
 * KassaShiftDialogMode:
 * @KASSA_SHIFT_DIALOG_OPEN: open a shift with a float
 * @KASSA_SHIFT_DIALOG_PAID_IN: put cash into the drawer, with a reason
 * @KASSA_SHIFT_DIALOG_PAID_OUT: take cash out of the drawer, with a reason
 * @KASSA_SHIFT_DIALOG_NO_SALE: open the drawer without a sale, with a reason
 */
typedef enum
{
  KASSA_SHIFT_DIALOG_OPEN,
  KASSA_SHIFT_DIALOG_PAID_IN,
  KASSA_SHIFT_DIALOG_PAID_OUT,
  KASSA_SHIFT_DIALOG_NO_SALE,
} KassaShiftDialogMode;

#define KASSA_TYPE_SHIFT_DIALOG (kassa_shift_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KassaShiftDialog, kassa_shift_dialog, KASSA, SHIFT_DIALOG, AdwWindow)

/* One small form for the drawer's everyday steps. It emits ::done with
 * what the shop answered (the shift or movement id) and closes; refusals
 * and missing reasons stay in the dialog as a message. */

KassaShiftDialog     *kassa_shift_dialog_new       (GtkWindow            *parent,
                                                    KassaShop            *shop,
                                                    KassaShiftDialogMode  mode);
KassaShiftDialogMode  kassa_shift_dialog_get_mode  (KassaShiftDialog     *self);
/* The message shown after a refused confirm, or NULL. */
const char           *kassa_shift_dialog_get_error (KassaShiftDialog     *self);
/* Confirms as the suggested button does. */
void                  kassa_shift_dialog_confirm   (KassaShiftDialog     *self);

G_END_DECLS
