import { isPlainObject, type GraphClient } from '@policyvault/graph';
import type { RestoreCandidate } from './restore-plan.js';

type GraphObject = Record<string, unknown>;

/** Which presentation a presentation value can belong to (Graph's `groupPolicyPresentationValue*` → `groupPolicyPresentation*`). */
const PRESENTATIONS_BY_VALUE_TYPE: Readonly<Record<string, readonly string[]>> = {
  '#microsoft.graph.groupPolicyPresentationValueText': ['#microsoft.graph.groupPolicyPresentationTextBox', '#microsoft.graph.groupPolicyPresentationDropdownList', '#microsoft.graph.groupPolicyPresentationComboBox'],
  '#microsoft.graph.groupPolicyPresentationValueDecimal': ['#microsoft.graph.groupPolicyPresentationDecimalTextBox'],
  '#microsoft.graph.groupPolicyPresentationValueLongDecimal': ['#microsoft.graph.groupPolicyPresentationLongDecimalTextBox'],
  '#microsoft.graph.groupPolicyPresentationValueBoolean': ['#microsoft.graph.groupPolicyPresentationCheckBox'],
  '#microsoft.graph.groupPolicyPresentationValueList': ['#microsoft.graph.groupPolicyPresentationListBox'],
  '#microsoft.graph.groupPolicyPresentationValueMultiText': ['#microsoft.graph.groupPolicyPresentationMultiTextBox'],
};

const list = (value: unknown): GraphObject[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);
const needsPresentations = (definitionValue: GraphObject) => list(definitionValue.presentationValues).some((value) => !isPlainObject(value.presentation));

/**
 * Backups taken before issue 11 read administrative templates' presentation values without
 * `$expand=presentation`, so they lack the presentation ids `presentation@odata.bind` needs. Those are
 * completed here from Graph's catalogue (`GET groupPolicyDefinitions('{id}')/presentations`, reads only):
 * each value takes, in order, the next presentation of a matching kind. A value that still has no
 * presentation makes its item skipped (`presentation_unknown`) rather than restored without it.
 */
export async function upgradeSnapshots<C extends RestoreCandidate>(client: GraphClient, candidates: C[]): Promise<C[]> {
  const catalogue = new Map<string, Promise<GraphObject[]>>();
  const presentationsOf = (definitionId: string) => {
    let presentations = catalogue.get(definitionId);
    if (!presentations) {
      presentations = client.listAll<GraphObject>(`/beta/deviceManagement/groupPolicyDefinitions('${encodeURIComponent(definitionId)}')/presentations`).catch(() => []);
      catalogue.set(definitionId, presentations);
    }
    return presentations;
  };
  return Promise.all(
    candidates.map(async (candidate) => {
      const values = list(candidate.snapshot.definitionValues);
      if (candidate.policyType !== 'administrativeTemplate' || !values.some(needsPresentations)) return candidate;
      const definitionValues = await Promise.all(
        values.map(async (definitionValue) => {
          const definitionId = isPlainObject(definitionValue.definition) ? definitionValue.definition.id : undefined;
          if (!needsPresentations(definitionValue) || typeof definitionId !== 'string') return definitionValue;
          const unused = [...(await presentationsOf(definitionId))];
          const presentationValues = list(definitionValue.presentationValues).map((value) => {
            if (isPlainObject(value.presentation)) return value;
            const kinds = PRESENTATIONS_BY_VALUE_TYPE[String(value['@odata.type'])] ?? [];
            const index = unused.findIndex((presentation) => kinds.includes(String(presentation['@odata.type'])));
            if (index < 0) return value;
            const [presentation] = unused.splice(0, index + 1).slice(-1);
            return { ...value, presentation };
          });
          return { ...definitionValue, presentationValues };
        }),
      );
      return { ...candidate, snapshot: { ...candidate.snapshot, definitionValues } };
    }),
  );
}
