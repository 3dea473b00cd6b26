import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { AutoComplete, Button, Card, Checkbox, Col, DatePicker, Divider, Flex, Form, Input, InputNumber, Radio, Row, Select, type FormInstance } from "antd";
import dayjs from "dayjs";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session.js";
import { useTeams } from "../teams/api.js";
import { UserSelect } from "../users/pickers.js";
import { ADDRESS_KINDS, ANALYSIS_FIELDS, COMPANY_SIZES, CUSTOMER_STATUSES, GENDERS, GRADES, LIFECYCLE_STAGES, type Customer } from "./api.js";
import type { FormValues } from "./customer-form.js";
import { ContactPointFields, TagsSelect, useUserNames } from "./fields.js";
import { CURRENCIES } from "./format.js";
import { lunarDayName, lunarMonthName } from "./lunar.js";
import { RegionCascader } from "./regions.js";

/* The three tabs of the customer form: Basic, Finance (with addresses) and Analysis. */

const half = { xs: 24, sm: 12 } as const;

export function BasicFields({ form, onIdentityBlur, customer }: { form: FormInstance<FormValues>; onIdentityBlur: () => void; customer?: Customer }) {
  const { t } = useTranslation();
  const can = useCan();
  const teams = useTeams(can("team:read"));
  const userName = useUserNames();
  const kind = Form.useWatch("kind", form);
  const cooperationSince = Form.useWatch("cooperationSince", form);
  const years = cooperationSince ? Math.max(0, dayjs().diff(cooperationSince, "year")) : null;
  const known = useMemo(() => {
    const ids = [customer?.ownerId, ...(customer?.collaboratorIds ?? [])].filter((id): id is string => Boolean(id));
    return Object.fromEntries(ids.map((id) => [id, userName(id) ?? id]));
  }, [customer, userName]);
  const suggestions = (key: "typeOptions" | "sourceOptions" | "industryOptions") =>
    Object.values(t(`customers.${key}`, { returnObjects: true }) as Record<string, string>).map((v) => ({ value: v }));

  return (
    <Row gutter={16}>
      <Col span={24}>
        <Form.Item name="kind" label={t("customers.kind")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "organization", label: t("customers.kinds.organization") },
              { value: "individual", label: t("customers.kinds.individual") },
            ]}
            data-testid="customer-kind"
          />
        </Form.Item>
      </Col>
      <Col xs={24} sm={16}>
        <Form.Item
          name="name"
          label={kind === "individual" ? t("customers.personName") : t("customers.companyName")}
          rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("customers.name") }) }]}
        >
          <Input maxLength={200} onBlur={onIdentityBlur} data-testid="customer-name" />
        </Form.Item>
      </Col>
      <Col xs={24} sm={8}>
        <Form.Item name="code" label={t("customers.code")} extra={customer ? undefined : t("customers.codeHelp")}>
          <Input maxLength={40} placeholder={customer ? undefined : t("customers.codeAuto")} />
        </Form.Item>
      </Col>
      {kind === "organization" ? (
        <Col {...half}>
          <Form.Item name="shortName" label={t("customers.shortName")}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      ) : null}
      <Col {...half}>
        <Form.Item name="type" label={t("customers.type")}>
          <AutoComplete options={suggestions("typeOptions")} maxLength={100} showSearch={{ filterOption: true }} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="source" label={t("customers.source")}>
          <AutoComplete options={suggestions("sourceOptions")} maxLength={100} showSearch={{ filterOption: true }} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="industry" label={t("customers.industry")}>
          <AutoComplete options={suggestions("industryOptions")} maxLength={100} showSearch={{ filterOption: true }} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="ownerId" label={t("customers.owner")} extra={t("customers.ownerHelp")}>
          <UserSelect allowClear known={known} placeholder={t("customers.publicPool")} />
        </Form.Item>
      </Col>
      {can("team:read") ? (
        <Col {...half}>
          <Form.Item name="teamId" label={t("customers.team")}>
            <Select
              allowClear
              loading={teams.isLoading}
              showSearch={{ optionFilterProp: "label" }}
              options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
            />
          </Form.Item>
        </Col>
      ) : null}
      <Col span={24}>
        <Form.Item name="collaboratorIds" label={t("customers.collaborators")} extra={t("customers.collaboratorsHelp")}>
          <UserSelect mode="multiple" known={known} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={8}>
        <Form.Item name="status" label={t("customers.status")}>
          <Select options={CUSTOMER_STATUSES.map((s) => ({ value: s, label: t(`customers.statuses.${s}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={8}>
        <Form.Item name="lifecycleStage" label={t("customers.lifecycleStage")}>
          <Select options={LIFECYCLE_STAGES.map((s) => ({ value: s, label: t(`customers.stages.${s}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={8}>
        <Form.Item name="grade" label={t("customers.grade")} tooltip={t("customers.gradeHelp")}>
          <Select allowClear placeholder={t("customers.gradeAuto")} options={GRADES.map((g) => ({ value: g, label: t(`customers.grades.${g}`) }))} />
        </Form.Item>
      </Col>
      {kind === "organization" ? (
        <Col {...half}>
          <Form.Item name="companySize" label={t("customers.companySize")}>
            <Select allowClear options={COMPANY_SIZES.map((s) => ({ value: s, label: t(`customers.companySizes.${s}`) }))} />
          </Form.Item>
        </Col>
      ) : null}
      <Col {...half}>
        <Form.Item
          name="cooperationSince"
          label={t("customers.cooperationSince")}
          extra={years !== null ? t("customers.cooperationYears", { count: years }) : undefined}
        >
          <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="website" label={t("customers.website")}>
          <Input maxLength={300} inputMode="url" placeholder="https://" />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="tags" label={t("customers.tags")}>
          <TagsSelect />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <ContactPointFields kind="phones" onBlurValue={onIdentityBlur} />
      </Col>
      <Col xs={24} md={12}>
        <ContactPointFields kind="emails" onBlurValue={onIdentityBlur} />
      </Col>
      <Col span={24}>
        <Form.Item name="region" label={t("customers.region")}>
          <RegionCascader />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="address" label={t("customers.address")}>
          <Input maxLength={500} placeholder={t("customers.addressPlaceholder")} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="remarks" label={t("customers.remarks")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
        </Form.Item>
      </Col>
    </Row>
  );
}

export function FinanceFields({ form, customer, onIdentityBlur }: { form: FormInstance<FormValues>; customer?: Customer; onIdentityBlur: () => void }) {
  const { t } = useTranslation();
  const kind = Form.useWatch("kind", form);
  const masked = customer?.bankAccountMasked ?? false;
  const money = (
    <InputNumber<string>
      stringMode
      min="0"
      precision={2}
      style={{ width: "100%" }}
      formatter={(v) => (v ? `${v}`.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : "")}
      parser={(v) => (v ?? "").replace(/[,\s¥$]/g, "")}
    />
  );
  return (
    <Row gutter={16}>
      {kind === "organization" ? (
        <Col span={24}>
          <Form.Item name="creditCode" label={t("customers.creditCode")} extra={t("customers.creditCodeHelp")}>
            <Input maxLength={40} onBlur={onIdentityBlur} style={{ textTransform: "uppercase" }} data-testid="customer-credit-code" />
          </Form.Item>
        </Col>
      ) : null}
      <Col {...half}>
        <Form.Item name="currency" label={t("customers.currency")}>
          <Select showSearch options={CURRENCIES.map((c) => ({ value: c, label: `${c} · ${t(`customers.currencies.${c}`)}` }))} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="taxRules" label={t("customers.taxRules")}>
          <Input maxLength={100} placeholder={t("customers.taxRulesPlaceholder")} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="creditLimit" label={t("customers.creditLimit")}>
          {money}
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="salesLimit" label={t("customers.salesLimit")}>
          {money}
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="paymentTerms" label={t("customers.paymentTerms")}>
          <Input maxLength={100} placeholder={t("customers.paymentTermsPlaceholder")} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="discountTerms" label={t("customers.discountTerms")}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="creditRating" label={t("customers.creditRating")}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="commissionCode" label={t("customers.commissionCode")}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="invoiceRecipient" label={t("customers.invoiceRecipient")}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="bankName" label={t("customers.bankName")}>
          <Input maxLength={100} placeholder={t("customers.bankNamePlaceholder")} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="bankAccount" label={t("customers.bankAccount")} extra={masked ? t("customers.bankAccountMaskedHelp", { masked: customer?.bankAccount }) : undefined}>
          <Input maxLength={50} autoComplete="off" inputMode="numeric" placeholder={masked ? (customer?.bankAccount ?? undefined) : undefined} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Divider titlePlacement="start" style={{ marginTop: 0 }}>
          {t("customers.addresses")}
        </Divider>
        <AddressesFields />
      </Col>
    </Row>
  );
}

function AddressesFields() {
  const { t } = useTranslation();
  return (
    <Form.List name="addresses">
      {(fields, { add, remove }) => (
        <Flex vertical gap={12}>
          {fields.map((field) => (
            <Card
              key={field.key}
              size="small"
              title={
                <Flex gap={8} align="center" wrap="wrap">
                  <Form.Item name={[field.name, "kind"]} noStyle>
                    <Radio.Group
                      size="small"
                      optionType="button"
                      options={ADDRESS_KINDS.map((k) => ({ value: k, label: t(`customers.addressKinds.${k}`) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, "isDefault"]} valuePropName="checked" noStyle>
                    <Checkbox>{t("customers.defaultAddress")}</Checkbox>
                  </Form.Item>
                </Flex>
              }
              extra={<Button type="text" size="small" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t("common.remove")} />}
            >
              <Row gutter={12}>
                <Col span={24}>
                  <Form.Item name={[field.name, "region"]} label={t("customers.region")}>
                    <RegionCascader />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item
                    name={[field.name, "detail"]}
                    label={t("customers.addressDetail")}
                    rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("customers.addressDetail") }) }]}
                  >
                    <Input maxLength={500} placeholder={t("customers.addressPlaceholder")} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item name={[field.name, "recipient"]} label={t("customers.recipient")}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item name={[field.name, "phone"]} label={t("customers.phone")}>
                    <Input maxLength={40} inputMode="tel" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item name={[field.name, "postcode"]} label={t("customers.postcode")}>
                    <Input maxLength={12} inputMode="numeric" />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ kind: "delivery", isDefault: fields.length === 0, region: [], detail: "", postcode: "", recipient: "", phone: "" })}
            style={{ alignSelf: "flex-start" }}
          >
            {t("customers.addAddress")}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

export function AnalysisFields({ form }: { form: FormInstance<FormValues> }) {
  const { t } = useTranslation();
  const kind = Form.useWatch("kind", form);
  const bands = (key: "ageBands" | "incomeBands") => Object.values(t(`customers.${key}`, { returnObjects: true }) as Record<string, string>).map((v) => ({ value: v }));
  return (
    <Row gutter={16}>
      {kind === "individual" ? (
        <>
          <Col span={24}>
            <Divider titlePlacement="start" style={{ marginTop: 0 }}>
              {t("customers.personal")}
            </Divider>
          </Col>
          <Col {...half}>
            <Form.Item name="gender" label={t("customers.gender")}>
              <Radio.Group optionType="button" options={GENDERS.map((g) => ({ value: g, label: t(`customers.genders.${g}`) }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="birthday" label={t("customers.birthday")}>
              <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t("customers.lunarBirthday")} style={{ marginBottom: 0 }}>
              <Flex gap={8}>
                <Form.Item name="lunarMonth" style={{ flex: 1 }}>
                  <Select
                    allowClear
                    placeholder={t("customers.lunarMonth")}
                    options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: lunarMonthName(i + 1) }))}
                  />
                </Form.Item>
                <Form.Item name="lunarDay" style={{ flex: 1 }}>
                  <Select allowClear placeholder={t("customers.lunarDay")} options={Array.from({ length: 30 }, (_, i) => ({ value: i + 1, label: lunarDayName(i + 1) }))} />
                </Form.Item>
              </Flex>
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="ageBand" label={t("customers.ageBand")}>
              <AutoComplete options={bands("ageBands")} maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="incomeBand" label={t("customers.incomeBand")}>
              <AutoComplete options={bands("incomeBands")} maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Divider titlePlacement="start">{t("customers.analysisProfile")}</Divider>
          </Col>
        </>
      ) : null}
      {ANALYSIS_FIELDS.map((k) => (
        <Col key={k} xs={24} md={12}>
          <Form.Item name={["analysis", k]} label={t(`customers.analysisFields.${k}`)}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} placeholder={t(`customers.analysisHints.${k}`)} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}
