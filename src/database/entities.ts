import { Account } from '../accounts/account.entity.js';
import { PetitionEvent } from '../petitions/petition-event.entity.js';
import { Petition } from '../petitions/petition.entity.js';

/** Every entity, listed explicitly: no globbing, so the build and Jest load the same classes. */
export const ENTITIES = [Account, Petition, PetitionEvent];
