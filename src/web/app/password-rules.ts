import type { FormItemProps, FormRule } from "antd";
import i18n from "../i18n/index.js";

/** The server's password policy, checked early for a friendlier form. The server still decides. */
export const PASSWORD_MIN = 10;

export function passwordRules(label: string, required = true): FormRule[] {
  return [
    ...(required ? [{ required: true, message: i18n.t("validation.required", { field: label }) }] : []),
    { min: PASSWORD_MIN, message: i18n.t("validation.passwordMin", { min: PASSWORD_MIN }) },
    { max: 200, message: i18n.t("validation.maxLength", { max: 200 }) },
  ];
}

/** A "repeat the password" field that must equal `field`. */
export function confirmPasswordField(field: string, label: string): FormItemProps {
  return {
    name: "confirm",
    label,
    dependencies: [field],
    hasFeedback: true,
    rules: [
      { required: true, message: i18n.t("validation.required", { field: label }) },
      ({ getFieldValue }) => ({
        validator: (_, value: unknown) =>
          !value || getFieldValue(field) === value ? Promise.resolve() : Promise.reject(new Error(i18n.t("validation.passwordMismatch"))),
      }),
    ],
  };
}
